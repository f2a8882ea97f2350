/** The type of `window.studioBridge`, the preload's narrow bridge (read by the renderer's type-check project). */
import type { StudioErrorDto } from '../../shared/api/errors';
import type { MethodName, ResponseTypes, RequestOf, StudioEvent } from '../../shared/api/methods';

/** What the native open dialog asks for: a data file (filtered by extension) or a folder. */
export interface PickPathOptions {
  kind: 'file' | 'folder';
  /** the dialog's title, e.g. "Calibration data" */
  title: string;
  /** extensions a file may have, without dots (`npy`, `json`); all files when absent */
  extensions?: string[];
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: StudioErrorDto };

export type BridgeCalls = { [M in MethodName]: (req: RequestOf<M>) => Promise<Envelope<ResponseTypes[M]>> };

export interface StudioBridge {
  calls: BridgeCalls;
  onEvent(listener: (event: StudioEvent) => void): () => void;
  host: {
    /** shows the native open dialog; resolves to the chosen path or null */
    pickModelFile(): Promise<string | null>;
    /** shows the native save dialog (reports, recipes); resolves to the chosen path or null */
    pickSavePath(options: { title: string; defaultName: string; extensions: string[] }): Promise<string | null>;
    /** the file-system path of a dropped File */
    pathForFile(file: File): string;
    /** shows the native folder dialog (package output); resolves to the chosen folder or null */
    pickFolder(title: string): Promise<string | null>;
    /** shows the native open dialog for a data file or folder; resolves to the chosen path or null */
    pickPath(options: PickPathOptions): Promise<string | null>;
    /** opens a folder (never a file) in the system file manager; resolves to whether it opened */
    openFolder(dir: string): Promise<boolean>;
    /** listens for menu commands (open, theme, help …) */
    onMenu(listener: (command: string, arg?: string) => void): () => void;
  };
}

declare global {
  interface Window {
    studioBridge?: StudioBridge;
  }
}
