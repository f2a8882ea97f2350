/** What the engine host adds to the RPC channel (shared/rpc): its start-up call, its events, its process transport. */
import { STUDIO_EVENT_TOPIC } from '../../../shared/api/event-topic';
import type { Port } from '../../../shared/rpc/messages';

export interface HostInit {
  dataDir: string;
  samplePath: string;
  appVersion: string;
  /** folders whose files may be opened; undefined means any (Electron, CLI) */
  allowedRoots?: string[];
  /** models to reopen under their ids (the host was restarted while they were open) */
  models?: OpenModelRef[];
  /** answer with each value's JSON text: the serve host forwards it to the browser without decoding it */
  jsonResults?: boolean;
}

/** An open model's id and file, as the host reports them so a restarted host can reopen them. */
export interface OpenModelRef {
  modelId: string;
  path: string;
}

/** The host's own calls and events, beside the StudioApi methods it serves. */
export const HOST = {
  /** call: starts the engine from a {@link HostInit}; answers `{ pid }` once the host is ready */
  init: 'host:init',
  /** event to the host: one more folder whose files may be opened */
  allowRoot: 'host:allow-root',
  /** event from the host: the open models ({@link OpenModelRef}[]), sent when they change */
  models: 'host:models',
  /** event from the host: a StudioEvent for every front end */
  studioEvent: STUDIO_EVENT_TOPIC,
} as const;

/**
 * A channel to one engine host process (child_process.fork or Electron's utilityProcess): an RPC port that closes
 * when the process exits, with its exit code and signal (see ProcessExit in process-ports.ts).
 */
export interface HostTransport extends Port {
  kill(): void;
  readonly pid: number | undefined;
}
