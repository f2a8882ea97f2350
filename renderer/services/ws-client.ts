/** StudioClient over the `serve` host's WebSocket; files reach the engine by upload. */
import { isErrorDto, StudioError } from '../../shared/api/errors';
import type { StudioEvent } from '../../shared/api/methods';
import { apiProxy } from './api-proxy';
import { studioSocketUrl, takeEarlySocket } from './early-socket';
import type { StudioClient } from './studio-client';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** @returns a client connected to the server that served this page (the session cookie authenticates it). */
export function createWsClient(): StudioClient {
  const wsUrl = studioSocketUrl();
  const pending = new Map<number, Pending>();
  const listeners = new Set<(e: StudioEvent) => void>();
  let nextId = 1;
  let socket: Promise<WebSocket> | undefined;
  /** the socket once it is open: calls go out at once, without waiting a turn on `socket` */
  let open: WebSocket | undefined;

  const connect = (): Promise<WebSocket> => {
    if (socket) return socket;
    socket = new Promise<WebSocket>((resolve, reject) => {
      // the socket main.tsx opened first, when it is still good; else a new one
      const early = takeEarlySocket();
      const ws = early?.socket ?? new WebSocket(wsUrl);
      ws.onopen = () => {
        open = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new StudioError('ACCESS_DENIED', 'Cannot reach the Deploy Studio server. Is `deploy-studio serve` still running?'));
      ws.onclose = () => {
        socket = undefined;
        if (open === ws) open = undefined;
        for (const [id, p] of pending) {
          pending.delete(id);
          p.reject(new StudioError('WORKER_CRASHED', 'The connection to the Deploy Studio server closed. Reload the page.'));
        }
      };
      const receive = (msg: MessageEvent) => {
        const data = JSON.parse(String(msg.data)) as
          | { type: 'event'; event: StudioEvent }
          | { type: 'result'; id: number; ok: boolean; value?: unknown; error?: unknown };
        if (data.type === 'event') {
          for (const l of listeners) l(data.event);
          return;
        }
        const p = pending.get(data.id);
        if (!p) return;
        pending.delete(data.id);
        if (data.ok) p.resolve(data.value);
        else p.reject(isErrorDto(data.error) ? new StudioError(data.error.code, data.error.message) : new StudioError('INTERNAL', 'Malformed reply.'));
      };
      ws.onmessage = receive;
      if (early) {
        for (const m of early.backlog) receive(m);
        if (ws.readyState === WebSocket.OPEN) {
          open = ws;
          resolve(ws);
        }
      }
    });
    return socket;
  };

  const call = async (method: string, request: unknown): Promise<unknown> => {
    const ws = open ?? (await connect());
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, request }));
    });
  };

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
 * Uploads a model (and any external data files chosen with it) into one server-side folder.
 * @returns the server path of the model file
 */
export async function uploadFiles(files: File[]): Promise<string | null> {
  if (files.length === 0) return null;
  const model = files.find((f) => /\.onnx$/i.test(f.name)) ?? files[0];
  const group = crypto.randomUUID();
  let modelPath: string | null = null;
  for (const file of [model, ...files.filter((f) => f !== model)]) {
    const res = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}&group=${group}`, { method: 'POST', body: file });
    const body = (await res.json()) as { path?: string; error?: { code: string; message: string } };
    if (!res.ok || !body.path) {
      const err = body.error;
      throw isErrorDto(err) ? new StudioError(err.code, err.message) : new StudioError('FILE_UNREADABLE', `Upload of ${file.name} failed.`);
    }
    if (file === model) modelPath = body.path;
  }
  return modelPath;
}
