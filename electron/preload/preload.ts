/** The preload: exposes only typed StudioApi methods and a few host functions, never raw ipcRenderer. */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHANNEL_PREFIX, METHOD_NAMES, type StudioEvent } from '../../shared/api/methods';
import type { BridgeCalls, StudioBridge } from './studio-bridge';

const calls = Object.fromEntries(
  METHOD_NAMES.map((m) => [m, (req: unknown) => ipcRenderer.invoke(`${CHANNEL_PREFIX}${m}`, req)]),
) as unknown as BridgeCalls;

const bridge: StudioBridge = {
  calls,
  onEvent(listener) {
    const handler = (_e: IpcRendererEvent, event: StudioEvent) => listener(event);
    ipcRenderer.on(`${CHANNEL_PREFIX}event`, handler);
    return () => ipcRenderer.removeListener(`${CHANNEL_PREFIX}event`, handler);
  },
  host: {
    pickModelFile: () => ipcRenderer.invoke(`${CHANNEL_PREFIX}host:pickModelFile`) as Promise<string | null>,
    pickSavePath: (options) => ipcRenderer.invoke(`${CHANNEL_PREFIX}host:pickSavePath`, options) as Promise<string | null>,
    pathForFile: (file) => webUtils.getPathForFile(file),
    pickFolder: (title) => ipcRenderer.invoke(`${CHANNEL_PREFIX}host:pickFolder`, title) as Promise<string | null>,
    pickPath: (options) => ipcRenderer.invoke(`${CHANNEL_PREFIX}host:pickPath`, options) as Promise<string | null>,
    openFolder: (dir) => ipcRenderer.invoke(`${CHANNEL_PREFIX}host:openFolder`, dir) as Promise<boolean>,
    onMenu(listener) {
      const handler = (_e: IpcRendererEvent, command: string, arg?: string) => listener(command, arg);
      ipcRenderer.on(`${CHANNEL_PREFIX}menu`, handler);
      return () => ipcRenderer.removeListener(`${CHANNEL_PREFIX}menu`, handler);
    },
  },
};

contextBridge.exposeInMainWorld('studioBridge', bridge);
