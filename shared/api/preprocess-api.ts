/** StudioApi methods of the preprocessing and labels editor: the family's settings, and a preview of one image. */
import { z } from 'zod';
import { PreprocessConfigSchema, type PreprocessConfig } from './preprocess';

const modelId = z.string().min(1).max(200);

/** A class list: at most 100 000 names of at most 1 000 characters. */
export const LabelListSchema = z.array(z.string().max(1000)).max(100_000);

/** Requests of the preprocessing methods. */
export const preprocessRequests = {
  /** the preprocessing and labels the model's family runs with, and where each came from */
  getPreprocessState: z.object({ modelId }).strict(),
  /**
   * sets the family's preprocessing and/or labels (every variant uses them); `null` clears one (a file beside the model,
   * or the guess from the input shape, applies again); a field left out is kept
   */
  setPreprocessState: z.object({ modelId, preprocess: PreprocessConfigSchema.nullable().optional(), labels: LabelListSchema.nullable().optional() }).strict(),
  /** one image preprocessed with a config (default: the family's), as the model will see it */
  previewPreprocess: z.object({ modelId, imagePath: z.string().min(1).max(4096), preprocess: PreprocessConfigSchema.optional() }).strict(),
} as const;

/** Where a setting came from. */
export type SettingOrigin = 'family' | 'file' | 'guess' | 'none';

/** The preprocessing and labels a model's family runs with. */
export interface PreprocessStateDto {
  modelId: string;
  /** the config every consumer uses (Demo, Compare, calibration, Package); null when the model takes no images */
  preprocess: PreprocessConfig | null;
  /** `family`: set in the studio; `file`: a preprocess.json beside the model; `guess`: read off the input shape */
  preprocessOrigin: SettingOrigin;
  /** a file path or a sentence, for the UI */
  preprocessSource: string | null;
  /** a preprocess.json beside the model that cannot be used, and why */
  preprocessFileError: string | null;
  /** the studio's guess from the input shape (size, layout, channels; [0, 1] scaling), whatever is in use */
  guess: PreprocessConfig | null;
  /** why the guess is what it is */
  guessWhy: string;
  /** the input images feed, and its declared shape */
  imageInput: { name: string; shape: Array<number | string | null>; dtype: string } | null;
  labels: string[] | null;
  labelsOrigin: SettingOrigin;
  labelsSource: string | null;
  /** the output shaped like class scores, and its class count when fixed */
  classOutput: { name: string; classes: number | null } | null;
  /** whether the label count equals the class count; null when either is unknown */
  labelsMatch: boolean | null;
}

/** Per-channel statistics of a preprocessed tensor. */
export interface ChannelStatsDto {
  /** `R`, `G`, `B` (in the tensor's order) or `Y` */
  name: string;
  min: number;
  mean: number;
  max: number;
}

/** One image as the model sees it. */
export interface PreprocessPreviewDto {
  imageName: string;
  /** the resized/cropped pixels, PNG */
  dataUrl: string;
  width: number;
  height: number;
  /** the tensor's shape and element type */
  tensorShape: number[];
  dtype: string;
  /** per channel, in the tensor's channel order */
  channels: ChannelStatsDto[];
  /** whether the tensor's shape fits the model's input */
  fits: boolean;
  /** why it does not fit */
  misfit: string | null;
}

/** Responses of the preprocessing methods. */
export interface PreprocessResponses {
  getPreprocessState: PreprocessStateDto;
  setPreprocessState: PreprocessStateDto;
  previewPreprocess: PreprocessPreviewDto;
}
