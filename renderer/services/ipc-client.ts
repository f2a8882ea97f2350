/** StudioClient over the Electron preload bridge. */
import { StudioError } from '../../shared/api/errors';
import { METHOD_NAMES, type StudioApi, type StudioCalls } from '../../shared/api/methods';
import type { Envelope, StudioBridge } from '../../electron/preload/studio-bridge';
import type { StudioClient } from './studio-client';

/** @returns a client that calls the engine through `window.studioBridge`. */
export function createIpcClient(bridge: StudioBridge): StudioClient {
  const calls = Object.fromEntries(
    METHOD_NAMES.map((m) => [
      m,
      async (req: unknown) => {
        const env = (await (bridge.calls[m] as (r: unknown) => Promise<Envelope<unknown>>)(req ?? {})) as Envelope<unknown>;
        if (env.ok) return env.value;
        throw new StudioError(env.error.code, env.error.message);
      },
    ]),
  ) as unknown as StudioCalls;
  const api: StudioApi = { ...calls, onEvent: (listener) => bridge.onEvent(listener) };
  return {
    api,
    host: {
      kind: 'electron',
      pickModelFile: () => bridge.host.pickModelFile(),
      pickSavePath: (options) => bridge.host.pickSavePath(options),
      pickFolder: (title) => bridge.host.pickFolder(title),
      openFolder: (dir) => bridge.host.openFolder(dir),
      acceptDroppedFiles: async (files) => {
        const model = files.find((f) => /\.onnx$/i.test(f.name)) ?? files[0];
        return model ? bridge.host.pathForFile(model) : null;
      },
      onMenu: (listener) => bridge.host.onMenu(listener),
    },
  };
}
