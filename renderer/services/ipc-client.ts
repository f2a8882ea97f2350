/** StudioClient over the Electron preload bridge. */
import { StudioError } from '../../shared/api/errors';
import { apiProxy } from './api-proxy';
import type { Envelope, StudioBridge } from '../../electron/preload/studio-bridge';
import type { StudioClient } from './studio-client';

/** @returns a client that calls the engine through `window.studioBridge`. */
export function createIpcClient(bridge: StudioBridge): StudioClient {
  const calls = bridge.calls as unknown as Record<string, ((r: unknown) => Promise<Envelope<unknown>>) | undefined>;
  const api = apiProxy(async (method, request) => {
    const fn = Object.hasOwn(calls, method) ? calls[method] : undefined;
    if (!fn) throw new StudioError('UNKNOWN_METHOD', `The engine has no method "${method}".`);
    const env = await fn(request);
    if (env.ok) return env.value;
    throw new StudioError(env.error.code, env.error.message);
  }, (listener) => bridge.onEvent(listener));
  return {
    api,
    host: {
      kind: 'electron',
      pickModelFile: () => bridge.host.pickModelFile(),
      pickSavePath: (options) => bridge.host.pickSavePath(options),
      pickFolder: (title) => bridge.host.pickFolder(title),
      openFolder: (dir) => bridge.host.openFolder(dir),
      pickPath: (options) => bridge.host.pickPath(options),
      readableFolders: async () => null,
      acceptDroppedFiles: async (files) => {
        const model = files.find((f) => /\.onnx$/i.test(f.name)) ?? files[0];
        return model ? bridge.host.pathForFile(model) : null;
      },
      onMenu: (listener) => bridge.host.onMenu(listener),
    },
  };
}
