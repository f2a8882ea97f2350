/** The renderer's one way to the engine: the StudioApi plus what the host (Electron or browser) can do. */
import type { StudioApi } from '../../shared/api/methods';

export interface HostServices {
  kind: 'electron' | 'browser';
  /**
   * Asks the user for a model file and makes it readable by the engine.
   * @returns the engine-side path, or null when the user cancelled
   */
  pickModelFile(): Promise<string | null>;
  /** Makes dropped files readable by the engine; @returns the path of the .onnx among them. */
  acceptDroppedFiles(files: File[]): Promise<string | null>;
  /** Listens for menu commands of the native menu (Electron only). */
  onMenu(listener: (command: string, arg?: string) => void): () => void;
}

export interface StudioClient {
  api: StudioApi;
  host: HostServices;
}
