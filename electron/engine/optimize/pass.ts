/** The pass contract: a pass takes a model (and data when it calibrates) and returns a new model; it never edits the user's file. */
import type { z } from 'zod';
import type { JobContext } from '../jobs/job-runner';
import type { ExternalRef } from '../onnx/external-data';
import type { ModelProto, TensorProto } from '../onnx/proto';
import type { ModelRuntime } from '../runtime/calibration-run';
import type { InputSpec } from '../../../shared/api/input-spec';
import type { TargetProfile } from '../../../shared/targets/profile-schema';

/** The model a pass works on. */
export interface PassInput {
  /** a private deep copy: the pass may edit it in place and return it */
  proto: ModelProto;
  /** where its still-external tensors live (keyed by this copy's TensorProto objects) */
  external: ReadonlyMap<TensorProto, ExternalRef>;
  /** the folder of the model the recipe started from (relative data paths resolve against it) */
  sourceDir: string;
  /** the source model's file name, for names and messages */
  sourceName: string;
  /**
   * folders where image data's `preprocess.json` and `labels.txt` are looked up, first wins: the family's (set in the
   * Model place), the model's, its original's; default: `[sourceDir]`
   */
  configDirs?: string[];
}

/** What a pass hands back. */
export interface PassOutput {
  proto: ModelProto;
  /** a serializable report (error table, removed channels, sizes …) shown in the GUI and printed by the CLI */
  report: Record<string, unknown>;
  /** warnings the user must see (e.g. "calibrated on random data") */
  warnings?: string[];
}

/** Where a pass reads target profiles (the engine's profile store). */
export interface ProfileSource {
  /** @throws StudioError `INVALID_REQUEST` for an unknown profile id */
  get(id: string): Promise<{ profile: TargetProfile }>;
}

/** The services a pass uses (it never receives the whole engine). */
export interface PassContext {
  job: JobContext;
  /** target profiles, for defaults that depend on the target */
  profiles: ProfileSource;
  /** runs models held in memory (calibration, error analysis, checks) in the jobs' inference process */
  runtime: ModelRuntime;
  /** sizes and values of the model's inputs for generated data (the family's or the recipe's input spec) */
  inputSpec?: InputSpec;
  /** the target profile id the recipe runs for, when one was chosen */
  targetId?: string;
  /** called with 0..1 within this pass (the runner maps it into the whole recipe) */
  progress(fraction: number, stage?: string): void;
}

/**
 * One optimization pass (one file per pass, house style 7).
 * @typeParam O - its parsed options
 */
export interface Pass<O = Record<string, unknown>> {
  /** stable id used in recipes, e.g. `quantize-static` */
  id: string;
  /** what the user sees */
  title: string;
  /** the kind of variant it makes */
  produces: 'quantized' | 'pruned' | 'fp16' | 'optimized';
  /** validates and fills defaults of the recipe step's options */
  options: z.ZodType<O>;
  run(input: PassInput, options: O, ctx: PassContext): Promise<PassOutput>;
}

const registry = new Map<string, Pass<never>>();

/** Makes a pass available to recipes. */
export function registerPass<O>(pass: Pass<O>): void {
  registry.set(pass.id, pass as unknown as Pass<never>);
}

/** @returns the pass with this id, or undefined. */
export function findPass(id: string): Pass<Record<string, unknown>> | undefined {
  return registry.get(id) as unknown as Pass<Record<string, unknown>> | undefined;
}

/** @returns the ids of every registered pass. */
export function passIds(): string[] {
  return [...registry.keys()].sort();
}
