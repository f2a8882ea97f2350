/** Picks the StudioClient for this host at start: the Electron bridge when present, else the server's WebSocket. */
import { createIpcClient } from './ipc-client';
import type { StudioClient } from './studio-client';
import { createWsClient } from './ws-client';

let client: StudioClient | undefined;

/** @returns the one client of this renderer. */
export function studioClient(): StudioClient {
  client ??= window.studioBridge ? createIpcClient(window.studioBridge) : createWsClient();
  return client;
}

/** Replaces the client (tests). */
export function setStudioClient(c: StudioClient): void {
  client = c;
}

export type { StudioClient } from './studio-client';
