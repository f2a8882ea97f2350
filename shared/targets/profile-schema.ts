/** The target profile file (`assets/profiles/*.json`, user profiles in the data folder): where a model will run. */
import { z } from 'zod';

/** Kinds of device a profile describes. */
export const DEVICE_CLASSES = ['desktop-cpu', 'server-cpu', 'edge-arm-cpu', 'mobile-arm-cpu', 'nvidia-gpu', 'npu', 'browser'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/** Precisions a target can compute in: `int8` is QDQ int8 (weights and activations), `int4` is weight-only int4. */
export const PRECISIONS = ['fp32', 'fp16', 'bf16', 'int8', 'int4'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** onnxruntime execution providers, by the names onnxruntime's JS API uses. */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'webgpu', 'wasm', 'webnn', 'xnnpack', 'coreml', 'nnapi', 'qnn', 'openvino', 'dml'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

const positive = z.number().positive().finite();
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, 2 to 63 characters, e.g. "my-board"');

/** Per-precision peak compute, in GOPS (GFLOPS for floating point): the roofline's ceiling. */
const PeakSchema = z
  .object({ fp32: positive.optional(), fp16: positive.optional(), bf16: positive.optional(), int8: positive.optional(), int4: positive.optional() })
  .strict();

/** Fractions of peak a well-tuned runtime reaches on this device, by kind of work (defaults by device class). */
export const EfficiencySchema = z
  .object({
    conv: z.number().gt(0).max(1).optional(),
    matmul: z.number().gt(0).max(1).optional(),
    attention: z.number().gt(0).max(1).optional(),
    other: z.number().gt(0).max(1).optional(),
    bandwidth: z.number().gt(0).max(1).optional(),
  })
  .strict();

/** What the optimization passes default to for this target. */
export const RecipeDefaultsSchema = z
  .object({
    quantization: z
      .object({
        mode: z.enum(['none', 'dynamic', 'static']),
        format: z.enum(['qdq', 'qoperator']),
        weightType: z.enum(['int8', 'uint8', 'int4']),
        activationType: z.enum(['int8', 'uint8']),
        perChannel: z.boolean(),
        calibration: z.enum(['minmax', 'entropy', 'percentile']),
      })
      .strict(),
    /** convert float weights and activations to float16 */
    fp16: z.boolean(),
    /** the largest fraction of weights (magnitude) or channels pruning should remove on this target */
    pruningCeiling: z.number().min(0).max(0.95),
  })
  .strict();

/** Channel multiples a target's kernels block by (vector lanes, kernel blocks), with where the figures come from. */
export const ChannelMultipleSchema = z
  .object({
    fp32: z.number().int().min(1).max(256),
    int8: z.number().int().min(1).max(256).optional(),
    fp16: z.number().int().min(1).max(256).optional(),
    /** how the figures were found (a measurement, a datasheet, a kernel's source) */
    source: z.string().min(3).max(1000),
    /** true when measured on the machine itself */
    measured: z.boolean().optional(),
  })
  .strict();
export type ChannelMultipleFigures = z.infer<typeof ChannelMultipleSchema>;

/** A target profile. */
export const TargetProfileSchema = z
  .object({
    schemaVersion: z.literal(1),
    id,
    name: z.string().min(1).max(100),
    /** what the device is and where each figure comes from (datasheets, benchmarks) */
    description: z.string().min(20).max(6000),
    /** links or references behind the figures */
    sources: z.array(z.string().min(3).max(500)).min(1).max(20),
    deviceClass: z.enum(DEVICE_CLASSES),
    /** readable hardware facts shown on the card */
    hardware: z
      .object({
        cpu: z.string().max(200).optional(),
        cores: z.number().int().min(1).max(1024).optional(),
        accelerator: z.string().max(200).optional(),
        simd: z.array(z.string().max(40)).max(40).optional(),
      })
      .strict(),
    /** in priority order; `cpu` last when unsupported ops may fall back to the CPU */
    executionProviders: z.array(z.enum(EXECUTION_PROVIDERS)).min(1).max(6),
    threads: z.object({ intraOp: z.number().int().min(0).max(256), interOp: z.number().int().min(0).max(256) }).strict(),
    graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']),
    precisions: z.object({ supported: z.array(z.enum(PRECISIONS)).min(1), preferred: z.enum(PRECISIONS) }).strict(),
    /** RAM the model may use: weights plus activations */
    memoryBudgetBytes: positive,
    /** space for the model files */
    storageBudgetBytes: positive,
    peakGops: PeakSchema,
    memoryBandwidthGBs: positive,
    efficiency: EfficiencySchema.optional(),
    /** fixed cost per node run (dispatch, kernel launch), microseconds */
    perNodeOverheadUs: z.number().min(0).max(10_000).optional(),
    /** estimates on this target are within ×/÷ this factor (2 = half to double) */
    uncertaintyFactor: z.number().min(1).max(10).optional(),
    /** ops this target's EPs are known to lack beyond the per-EP lists (e.g. a driver bug) */
    unsupportedOps: z.array(z.string().min(1).max(100)).max(500),
    recipeDefaults: RecipeDefaultsSchema,
    /** the channel counts its kernels like, per dtype (derived from `hardware.simd` when left out; measured for the host) */
    channelMultiple: ChannelMultipleSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!p.precisions.supported.includes(p.precisions.preferred)) {
      ctx.addIssue({ code: 'custom', path: ['precisions', 'preferred'], message: `"${p.precisions.preferred}" is not among the supported precisions` });
    }
    for (const prec of p.precisions.supported) {
      if (p.peakGops[prec] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['peakGops', prec], message: `a peak figure is needed for supported precision "${prec}"` });
      }
    }
    if (new Set(p.executionProviders).size !== p.executionProviders.length) {
      ctx.addIssue({ code: 'custom', path: ['executionProviders'], message: 'an execution provider is listed twice' });
    }
  });
export type TargetProfile = z.infer<typeof TargetProfileSchema>;

/**
 * Validates a profile.
 * @param value - parsed JSON
 * @returns the profile, or a message naming the first bad field
 */
export function parseProfile(value: unknown): { ok: true; profile: TargetProfile } | { ok: false; field: string; message: string } {
  const r = TargetProfileSchema.safeParse(value);
  if (r.success) return { ok: true, profile: r.data };
  const issue = r.error.issues[0];
  const field = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  return { ok: false, field, message: `field "${field}": ${issue.message}` };
}
