/** The renderer's one way to the engine: the StudioApi plus what the host (Electron or browser) can do. */
import type { StudioApi } from '../../shared/api/methods';
import type { PickPathOptions } from '../../electron/preload/studio-bridge';
import type { UploadOptions, UploadResult } from './upload-client';

export type { PickPathOptions } from '../../electron/preload/studio-bridge';

export interface HostServices {
  kind: 'electron' | 'browser';
  /**
   * Asks the user for a model file and makes it readable by the engine.
   * @returns the engine-side path, or null when the user cancelled
   */
  pickModelFile(): Promise<string | null>;
  /** Asks where to save a file (Electron); absent in the browser, where files download instead. @returns the path or null */
  pickSavePath?(options: { title: string; defaultName: string; extensions: string[] }): Promise<string | null>;
  /** Asks for a folder (Electron); absent in the browser, where the path is typed. @returns the folder or null */
  pickFolder?(title: string): Promise<string | null>;
  /** Opens a folder in the file manager (Electron). @returns whether it opened */
  openFolder?(dir: string): Promise<boolean>;
  /** Makes dropped files readable by the engine; @returns the path of the .onnx among them. */
  acceptDroppedFiles(files: File[]): Promise<string | null>;
  /** Asks for a data file or folder with the native dialog (Electron). @returns its path, or null when cancelled */
  pickPath?(options: PickPathOptions): Promise<string | null>;
  /** Uploads files or a folder to the server, with progress and cancel (browser). @returns where they landed */
  upload?(files: File[], options?: UploadOptions): Promise<UploadResult>;
  /** @returns the folders whose files may be used by path (`serve --allow`), or null when any path may (desktop) */
  readableFolders(): Promise<string[] | null>;
  /** Listens for menu commands of the native menu (Electron only). */
  onMenu(listener: (command: string, arg?: string) => void): () => void;
}

export interface StudioClient {
  api: StudioApi;
  host: HostServices;
}
