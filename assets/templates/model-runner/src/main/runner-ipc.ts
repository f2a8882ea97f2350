/** The two IPC handlers: sender frame checked, payload validated, the model run in this (main) process. */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { createRunner, type Runner } from '../core/model-runner-core.cjs';
import { CHANNELS, MAX_INPUT_BYTES, type Answer, type ModelInfo, type RunOutcome, type RunRequest } from '../shared/bridge';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** @returns the request when it is well formed, else a message naming the bad field. */
export function checkRunRequest(payload: unknown): RunRequest | string {
  if (typeof payload !== 'object' || payload === null) return 'The request is not an object.';
  const r = payload as Partial<RunRequest>;
  if (typeof r.fileName !== 'string' || r.fileName.length === 0 || r.fileName.length > 1000) return 'fileName must be a non-empty string.';
  if (r.kind !== 'image' && r.kind !== 'npy') return 'kind must be "image" or "npy".';
  if (!(r.bytes instanceof Uint8Array)) return 'bytes must be a Uint8Array.';
  if (r.bytes.byteLength === 0) return `${r.fileName} is empty.`;
  if (r.bytes.byteLength > MAX_INPUT_BYTES) return `${r.fileName} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB.`;
  return { fileName: r.fileName, kind: r.kind, bytes: r.bytes };
}

/**
 * Loads the model once and answers the window's calls.
 * @param modelDir - the folder with runner-config.json and the model
 * @param trustedUrl - whether a frame URL is the app's own page
 */
export function registerRunnerIpc(modelDir: string, trustedUrl: (url: string) => boolean, app: { productName: string; version: string }): void {
  let runner: Promise<Runner> | undefined;
  const load = () => (runner ??= createRunner(modelDir));
  const trusted = (event: IpcMainInvokeEvent) => event.senderFrame !== null && event.senderFrame === event.sender.mainFrame && trustedUrl(event.senderFrame.url);

  ipcMain.handle(CHANNELS.info, async (event): Promise<Answer<ModelInfo>> => {
    if (!trusted(event)) return { ok: false, message: 'Request from an untrusted frame refused.' };
    try {
      const { info } = await load();
      return {
        ok: true,
        value: {
          productName: app.productName,
          version: app.version,
          modelName: info.modelName,
          inputs: info.inputs,
          outputs: info.outputs,
          imageInput: info.imageInput,
          labels: info.labels,
          sessionMs: info.sessionMs,
          onnxruntimeVersion: info.onnxruntimeVersion,
        },
      };
    } catch (err) {
      runner = undefined;
      return { ok: false, message: `The model could not be loaded: ${message(err)}` };
    }
  });

  ipcMain.handle(CHANNELS.run, async (event, payload: unknown): Promise<Answer<RunOutcome>> => {
    if (!trusted(event)) return { ok: false, message: 'Request from an untrusted frame refused.' };
    const request = checkRunRequest(payload);
    if (typeof request === 'string') return { ok: false, message: request };
    try {
      const r = await load();
      const outcome = request.kind === 'npy' ? await r.runNpy(request.bytes, 5) : await r.runImage(request.bytes, 5);
      return { ok: true, value: outcome };
    } catch (err) {
      return { ok: false, message: `${request.fileName}: ${message(err)}` };
    }
  });
}
