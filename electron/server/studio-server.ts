/** `deploy-studio serve`: the renderer over HTTP and the StudioApi over a WebSocket, on 127.0.0.1 with a token. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { StudioError } from '../../shared/api/errors';
import { STUDIO_EVENT_TOPIC } from '../../shared/api/event-topic';
import { parseRequest, type AppInfo, type RequestOf, type StudioEvent } from '../../shared/api/methods';
import { decodeJson, encodeJson, JsonText } from '../../shared/rpc/json-codec';
import type { Port } from '../../shared/rpc/messages';
import { RpcServer } from '../../shared/rpc/rpc-server';
import type { EngineClient } from '../engine';
import { hostAllowed, newToken, originAllowed, presentedToken, sameSecret, TOKEN_COOKIE } from './security';
import { serveStatic } from './static-files';
import { handleUpload } from './upload';
import { handleDownload, isDownloadPath } from './download';

export interface ServerOptions {
  client: EngineClient;
  /** the built renderer (out/renderer) */
  rendererDir: string;
  /** where uploaded files are stored for this session */
  uploadDir: string;
  /** folders the user granted with `serve --allow` (files inside are used by path); shown in the UI */
  allowedFolders?: string[];
  port?: number;
  host?: string;
  token?: string;
  /** largest accepted upload, bytes */
  maxUploadBytes?: number;
  /** largest accepted WebSocket message, bytes */
  maxMessageBytes?: number;
}

/** What `GET /api/session` answers: the folders granted with `--allow` and the upload limit. */
export interface ServeSessionInfo {
  allowedFolders: string[];
  maxUploadBytes: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * Starts the server.
 * @returns its URL (with the token) and a close function
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const host = options.host ?? '127.0.0.1';
  const allowedHosts = new Set<string>();
  const maxUpload = options.maxUploadBytes ?? 8 * 1024 ** 3;
  fs.mkdirSync(options.uploadDir, { recursive: true });
  options.client.allowRoot(options.uploadDir);
  const session = JSON.stringify({ allowedFolders: options.allowedFolders ?? [], maxUploadBytes: maxUpload } satisfies ServeSessionInfo);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!hostAllowed(req, allowedHosts)) return deny(res, 421, 'Unknown host.');
    if (!originAllowed(req, allowedHosts)) return deny(res, 403, 'Cross-origin request refused.');
    if (!sameSecret(presentedToken(req, url), token)) {
      return deny(res, 401, 'This Deploy Studio session needs its token: open the URL printed by `deploy-studio serve`.');
    }
    if (url.searchParams.has('token') && req.method === 'GET') {
      url.searchParams.delete('token');
      res.writeHead(302, {
        'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + (url.search || ''),
      });
      res.end();
      return;
    }
    if (url.pathname === '/api/upload' && req.method === 'POST') {
      void handleUpload(req, res, url, options.uploadDir, maxUpload);
      return;
    }
    if (url.pathname === '/api/session' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(session);
      return;
    }
    if (req.method === 'GET' && isDownloadPath(url.pathname)) return void handleDownload(url.pathname, res, options.client);
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.');
    if (!serveStatic(options.rendererDir, url.pathname, res)) {
      // single-page app: unknown paths get the shell
      if (!serveStatic(options.rendererDir, '/index.html', res)) deny(res, 404, 'Not found. Run `npm run build` first.');
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 4 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ok =
      url.pathname === '/api/ws' &&
      hostAllowed(req, allowedHosts) &&
      originAllowed(req, allowedHosts) &&
      sameSecret(presentedToken(req, url), token);
    if (!ok) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const sockets = new Map<WebSocket, RpcServer>();
  const unsubscribe = options.client.onEvent((event: StudioEvent) => {
    for (const rpc of sockets.values()) rpc.notify(STUDIO_EVENT_TOPIC, event);
  });
  const answer = answerer(options.client);
  wss.on('connection', (ws: WebSocket) => {
    sockets.set(ws, new RpcServer(socketPort(ws), answer));
    ws.on('close', () => sockets.delete(ws));
    // oversized or malformed frames close this socket (ws sends 1009/1002); the server goes on
    ws.on('error', () => ws.terminate());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  for (const h of [`127.0.0.1:${port}`, `localhost:${port}`, `${host}:${port}`]) allowedHosts.add(h.toLowerCase());
  return {
    url: `http://${host}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const ws of sockets.keys()) ws.terminate();
        wss.close();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** An RPC port over one WebSocket: JSON text frames. */
function socketPort(ws: WebSocket): Port {
  return {
    send: (message) => ws.send(encodeJson(message)),
    onMessage: (listener) => ws.on('message', (data) => listener(decodeJson(data.toString()))),
    onClose: (listener) => ws.once('close', (code) => listener(code)),
  };
}

/**
 * @returns the handler of the browser's calls: the one place a serve request is validated (its zod schema) before
 * it goes on to the engine host, which trusts this process
 */
function answerer(client: EngineClient) {
  return async (method: string, params: unknown): Promise<unknown> => {
    const parsed = parseRequest(method, params);
    if (!parsed.ok) throw new StudioError(parsed.code, parsed.message);
    if (parsed.method === 'getAppInfo') return { ...(await client.call('getAppInfo', {})), host: 'browser' } satisfies AppInfo;
    // the engine's JSON text goes out as it came (graph chunks are megabytes: no decode and encode here)
    return new JsonText(await client.callJson(parsed.method, parsed.request as RequestOf<typeof parsed.method>));
  };
}

function deny(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message);
}
