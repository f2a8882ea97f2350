/** The narrow bridge between the window and the main process: model info, and running one file. */

export interface TensorMeta {
  name: string;
  dtype: string;
  shape: Array<number | string | null> | null;
}

/** What the window shows about the app and its model. */
export interface ModelInfo {
  productName: string;
  version: string;
  modelName: string;
  inputs: TensorMeta[];
  outputs: TensorMeta[];
  /** the input images go to, when the model has a preprocessing config */
  imageInput: string | null;
  labels: string[] | null;
  sessionMs: number;
  onnxruntimeVersion: string;
}

export interface RankedClass {
  index: number;
  label: string;
  score: number;
  probability: number;
}

export interface RunOutcome {
  top: RankedClass[] | null;
  outputs: Array<{ name: string; dtype: string; dims: number[]; preview: number[] }>;
  latencyMs: number;
  preprocessMs: number;
  input: { name: string; dims: number[] };
}

/** A request to run one file the user dropped or picked. */
export interface RunRequest {
  fileName: string;
  kind: 'image' | 'npy';
  bytes: Uint8Array;
}

export type Answer<T> = { ok: true; value: T } | { ok: false; message: string };

export interface RunnerBridge {
  info(): Promise<Answer<ModelInfo>>;
  run(request: RunRequest): Promise<Answer<RunOutcome>>;
}

/** IPC channel names (the main process answers only these). */
export const CHANNELS = { info: 'runner:info', run: 'runner:run' } as const;

/** Largest file the window may send, bytes. */
export const MAX_INPUT_BYTES = 200 * 1024 * 1024;
