/** StudioClient over the `serve` host's WebSocket (the RPC channel of shared/rpc); files reach the engine by upload. */
import { StudioError } from '../../shared/api/errors';
import { STUDIO_EVENT_TOPIC } from '../../shared/api/event-topic';
import type { StudioEvent } from '../../shared/api/methods';
import { decodeJson, encodeJson } from '../../shared/rpc/json-codec';
import type { Port } from '../../shared/rpc/messages';
import { RpcClient } from '../../shared/rpc/rpc-client';
import { apiProxy } from './api-proxy';
import { studioSocketUrl, takeEarlySocket } from './early-socket';
import type { StudioClient } from './studio-client';
import { serveSession, upload } from './upload-client';

/**
 * An RPC port over a browser WebSocket: JSON text frames.
 * @param backlog - frames the socket received before the port took it over, delivered first
 */
function socketPort(ws: WebSocket, backlog: MessageEvent[]): Port {
  return {
    send: (message) => ws.send(encodeJson(message)),
    onMessage: (listener) => {
      for (const m of backlog) listener(decodeJson(String(m.data)));
      ws.onmessage = (m) => listener(decodeJson(String(m.data)));
    },
    onClose: (listener) => ws.addEventListener('close', (e) => listener(e.code)),
  };
}

/** @returns a client connected to the server that served this page (the session cookie authenticates it). */
export function createWsClient(): StudioClient {
  const wsUrl = studioSocketUrl();
  const listeners = new Set<(e: StudioEvent) => void>();
  let socket: Promise<RpcClient> | undefined;
  /** the client once its socket is open: calls go out at once, without waiting a turn on `socket` */
  let open: RpcClient | undefined;

  const connect = (): Promise<RpcClient> => {
    if (socket) return socket;
    socket = new Promise<RpcClient>((resolve, reject) => {
      // the socket main.tsx opened first, when it is still good; else a new one
      const early = takeEarlySocket();
      const ws = early?.socket ?? new WebSocket(wsUrl);
      const rpc = new RpcClient(socketPort(ws, early?.backlog ?? []), {
        closedError: () => new StudioError('WORKER_CRASHED', 'The connection to the Deploy Studio server closed. Reload the page.'),
      });
      rpc.onEvent(STUDIO_EVENT_TOPIC, (event) => {
        for (const l of listeners) l(event as StudioEvent);
      });
      ws.onopen = () => {
        open = rpc;
        resolve(rpc);
      };
      ws.onerror = () => reject(new StudioError('ACCESS_DENIED', 'Cannot reach the Deploy Studio server. Is `deploy-studio serve` still running?'));
      ws.addEventListener('close', () => {
        socket = undefined;
        if (open === rpc) open = undefined;
      });
      if (ws.readyState === WebSocket.OPEN) {
        open = rpc;
        resolve(rpc);
      }
    });
    return socket;
  };

  const call = async (method: string, request: unknown): Promise<unknown> => (open ?? (await connect())).call(method, request);

  const api = apiProxy(call, (listener) => {
    listeners.add(listener);
    void connect().catch(() => undefined);
    return () => listeners.delete(listener);
  });

  return {
    api,
    host: {
      kind: 'browser',
      pickModelFile: async () => {
        const files = await chooseFiles();
        return files.length ? uploadFiles(files) : null;
      },
      acceptDroppedFiles: (files) => uploadFiles(files),
      upload: (files, options) => upload(files, options),
      readableFolders: async () => (await serveSession()).allowedFolders,
      onMenu: () => () => undefined,
    },
  };
}

function chooseFiles(): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.accept = '.onnx,.bin,.data,application/octet-stream';
    input.style.display = 'none';
    input.onchange = () => {
      resolve(input.files ? [...input.files] : []);
      input.remove();
    };
    input.oncancel = () => {
      resolve([]);
      input.remove();
    };
    document.body.appendChild(input);
    input.click();
  });
}

/**
 * Uploads a model (and any external data files chosen with it) into one server-side folder, with progress.
 * @returns the server path of the model file
 */
export async function uploadFiles(files: File[]): Promise<string | null> {
  if (files.length === 0) return null;
  const model = files.find((f) => /\.onnx$/i.test(f.name)) ?? files[0];
  const ordered = [model, ...files.filter((f) => f !== model)];
  const result = await upload(ordered, { label: model.name });
  return result.paths[0];
}
