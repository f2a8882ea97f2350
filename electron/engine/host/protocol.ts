/** Messages between a front end and the engine host process. */
import type { StudioErrorDto } from '../../../shared/api/errors';
import type { StudioEvent } from '../../../shared/api/methods';

export interface HostInit {
  dataDir: string;
  samplePath: string;
  appVersion: string;
  /** folders whose files may be opened; undefined means any (Electron, CLI) */
  allowedRoots?: string[];
  /** models to reopen under their ids (the host was restarted while they were open) */
  models?: OpenModelRef[];
  /** answer with each value's JSON text (`json`): the serve host forwards it to the browser without decoding it */
  jsonResults?: boolean;
}

/** An open model's id and file, as the host reports them so a restarted host can reopen them. */
export interface OpenModelRef {
  modelId: string;
  path: string;
}

export type ToHost =
  | { type: 'init'; init: HostInit }
  | { type: 'call'; id: number; method: string; request: unknown }
  | { type: 'allow-root'; root: string };

export type FromHost =
  | { type: 'ready'; pid: number }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: true; json: string }
  | { type: 'result'; id: number; ok: false; error: StudioErrorDto }
  | { type: 'event'; event: StudioEvent }
  | { type: 'models'; models: OpenModelRef[] };

/** A channel to one engine host process: child_process.fork or Electron's utilityProcess. */
export interface HostTransport {
  send(message: ToHost): void;
  onMessage(listener: (message: FromHost) => void): void;
  /** called once when the process exits, whatever the reason */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}
