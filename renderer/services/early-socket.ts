/**
 * Opens the `serve` WebSocket as the renderer's very first act (imported first by main.tsx), so the handshake runs
 * while the rest of the app's modules evaluate and render; the WebSocket client adopts it (see ws-client.ts).
 */

/** An early socket and what it received before the client took it over. */
export interface EarlySocket {
  socket: WebSocket;
  backlog: MessageEvent[];
}

/** @returns the URL of the server's RPC socket, for the page it served. */
export function studioSocketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`;
}

let early: EarlySocket | undefined;

if (typeof window !== 'undefined' && !window.studioBridge && typeof WebSocket === 'function' && /^https?:$/.test(location.protocol)) {
  try {
    const socket = new WebSocket(studioSocketUrl());
    const backlog: MessageEvent[] = [];
    socket.onmessage = (m) => backlog.push(m);
    early = { socket, backlog };
  } catch {
    early = undefined;
  }
}

/** @returns the early socket once (still connecting or open), or undefined when there is none or it failed. */
export function takeEarlySocket(): EarlySocket | undefined {
  const e = early;
  early = undefined;
  return e && e.socket.readyState <= WebSocket.OPEN ? e : undefined;
}
