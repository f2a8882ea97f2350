/** What a model does, as the demo and `run --task` show it: task kinds, the guess, and each task's result DTO. */
import { z } from 'zod';

/** The task kinds the studio can show; `tensor` is the generic view for anything else. */
export const TASK_KINDS = ['classify', 'detect', 'segment', 'image', 'audio', 'sequence', 'tensor'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TaskKindSchema = z.enum(TASK_KINDS);

/** One-line names of the tasks, for menus and messages. */
export const TASK_TITLES: Record<TaskKind, string> = {
  classify: 'Image classification',
  detect: 'Object detection',
  segment: 'Segmentation / dense map',
  image: 'Image to image',
  audio: 'Audio (per-frame outputs)',
  sequence: 'Sequence (CTC text)',
  tensor: 'Tensors (generic view)',
};

/** Options a user may set for a task, saved with the model's family beside the task. */
export const TaskOptionsSchema = z
  .object({
    /** detection: boxes under this score are dropped (0..1) */
    scoreThreshold: z.number().min(0).max(1).optional(),
    /** detection: boxes overlapping a better one by more than this IoU are dropped (0..1) */
    iouThreshold: z.number().min(0).max(1).optional(),
    /** audio: frames at or above this probability count as active (0..1) */
    activeThreshold: z.number().min(0).max(1).optional(),
    /** sequence: the characters of the CTC classes (index 0 is the blank unless `blankIndex` says otherwise) */
    characters: z.array(z.string().max(64)).max(100_000).optional(),
    blankIndex: z.number().int().min(0).optional(),
    /** audio: the model's sample rate in Hz */
    sampleRate: z.number().int().min(1000).max(384_000).optional(),
  })
  .strict();
export type TaskOptions = z.infer<typeof TaskOptionsSchema>;

/** The task a model's family is shown as (set by the user; without one the studio guesses). */
export const TaskSettingSchema = z.object({ kind: TaskKindSchema, options: TaskOptionsSchema.default({}) }).strict();
export type TaskSetting = z.infer<typeof TaskSettingSchema>;

/** How sure a guess is: `ask` means the studio shows its best guess but asks the user to confirm or pick. */
export type TaskConfidence = 'high' | 'medium' | 'ask';

/** The studio's guess of a model's task, with the reasons it read off the inputs and outputs. */
export interface TaskGuessDto {
  kind: TaskKind;
  confidence: TaskConfidence;
  /** one short sentence per clue, e.g. `output "output0" [1, 64, 7] looks like YOLO rows (4 box + 1 objectness + 2 classes)` */
  reasons: string[];
  /** other kinds worth offering, most likely first */
  alternatives: TaskKind[];
}

/** The task of a model's family: the user's setting when there is one, else the guess. */
export interface TaskStateDto {
  modelId: string;
  guess: TaskGuessDto;
  setting: TaskSetting | null;
  /** the kind runs use: the setting's, else the guess's */
  kind: TaskKind;
  options: TaskOptions;
}

/** A box in the input image's pixels (x0, y0 top-left; x1, y1 bottom-right). */
export interface BoxDto {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  score: number;
  classIndex: number;
  label: string | null;
}

/** Per-class statistics of a segmentation mask. */
export interface MaskClassDto {
  classIndex: number;
  label: string | null;
  pixels: number;
  /** fraction of the mask's pixels, 0..1 */
  fraction: number;
  /** bounding box of the class's pixels, in the input image's pixels */
  bbox: [number, number, number, number] | null;
}

/** Statistics of one tensor (NaN/Inf counted apart). */
export interface TensorStatsLiteDto {
  min: number;
  max: number;
  mean: number;
  std: number;
  nanCount: number;
  infCount: number;
}

/** One output in the generic view: statistics and a small preview to draw (heatmap, line or table). */
export interface TensorViewDto {
  name: string;
  dtype: string;
  shape: number[];
  stats: TensorStatsLiteDto | null;
  /** how the renderer should draw it */
  view: 'heatmap' | 'line' | 'table' | 'scalar';
  /** for heatmap: rows x cols of values (downsampled to at most 128 x 128); for line/table: cols values in rows = 1 */
  rows: number;
  cols: number;
  values: number[];
}

interface TaskResultBase {
  fileName: string;
  inputName: string;
  inputFile: string;
  /** the input's size in its own units: pixels for images, samples for audio */
  sourceWidth: number;
  sourceHeight: number;
  latencyMs: number;
  /** runs behind the latency (audio models run once per chunk) */
  runs: number;
  notes: string[];
}

export interface ClassifyResult extends TaskResultBase {
  kind: 'classify';
  outputName: string;
  top: Array<{ index: number; label: string | null; probability: number; score: number }>;
  softmaxApplied: boolean;
}

export interface DetectResult extends TaskResultBase {
  kind: 'detect';
  outputNames: string[];
  /** `yolo`: [N, boxes, 4 + classes (+1 objectness)] rows; `boxes-scores-labels`: separate outputs */
  format: 'yolo' | 'yolo-transposed' | 'boxes-scores-labels';
  /** every box above the threshold after NMS, best first */
  boxes: BoxDto[];
  /** boxes above the lowest threshold before NMS, so the GUI's slider can refilter without a run (at most 2000) */
  candidates: BoxDto[];
  scoreThreshold: number;
  iouThreshold: number;
}

export interface SegmentResult extends TaskResultBase {
  kind: 'segment';
  outputName: string;
  /** `classes`: argmax over a class axis; `probability`: one channel thresholded at 0.5 */
  mode: 'classes' | 'probability';
  maskWidth: number;
  maskHeight: number;
  /** per-pixel class index (row-major, maskWidth x maskHeight); 0 is background */
  mask: number[];
  /** for `probability`: the probabilities quantized to 0..255, row-major */
  probability: number[] | null;
  classes: MaskClassDto[];
  /** fraction of pixels not background */
  coverage: number;
}

export interface ImageResult extends TaskResultBase {
  kind: 'image';
  outputName: string;
  width: number;
  height: number;
  /** the output image as PNG, a data URL */
  outputDataUrl: string;
  /** how the output's values were mapped to 0..255 */
  valueRange: [number, number];
}

export interface AudioSegmentDto {
  startSeconds: number;
  endSeconds: number;
  /** mean of the frames' values inside */
  meanScore: number;
}

export interface AudioResult extends TaskResultBase {
  kind: 'audio';
  outputName: string;
  sampleRate: number;
  sourceSampleRate: number;
  durationSeconds: number;
  /** a min/max envelope of the waveform, 2 values (min, max) per column, for drawing */
  waveform: number[];
  /** the model's per-frame values (the first channel) and the time step between them */
  frames: number[];
  frameSeconds: number;
  /** `streaming`: the model ran chunk by chunk with its state fed back */
  mode: 'whole' | 'streaming';
  chunkSamples: number | null;
  activeThreshold: number;
  segments: AudioSegmentDto[];
}

export interface SequenceResult extends TaskResultBase {
  kind: 'sequence';
  outputName: string;
  text: string;
  /** per decoded character: its class and probability */
  tokens: Array<{ index: number; char: string; probability: number }>;
  /** true when a character list was known; else indices are shown as `⟨n⟩` */
  hasCharacters: boolean;
  blankIndex: number;
  meanProbability: number;
}

export interface TensorResult extends TaskResultBase {
  kind: 'tensor';
  outputs: TensorViewDto[];
}

/** The result of running a model as a task. */
export type TaskResultDto = ClassifyResult | DetectResult | SegmentResult | ImageResult | AudioResult | SequenceResult | TensorResult;
