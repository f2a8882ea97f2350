/** The preload: exposes two typed calls on window.runner, never ipcRenderer itself. */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type ModelInfo, type RunnerBridge, type RunOutcome, type Answer } from '../shared/bridge';

const bridge: RunnerBridge = {
  info: () => ipcRenderer.invoke(CHANNELS.info) as Promise<Answer<ModelInfo>>,
  run: (request) => ipcRenderer.invoke(CHANNELS.run, request) as Promise<Answer<RunOutcome>>,
};

contextBridge.exposeInMainWorld('runner', bridge);
