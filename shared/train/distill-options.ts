/** Options of the `distill` pass (knowledge distillation), shared by the engine, the CLI and the GUI. */
import { z } from 'zod';
import { PreprocessConfigSchema } from '../api/preprocess';

/** Training or validation data: images (class folders give labels), a `.npy` file (labels from a `.npy` of class indices). */
export const DistillDataSchema = z
  .object({
    /** absolute, or relative to the model's folder */
    path: z.string().min(1).max(4096),
    /** class indices for `.npy` data (one per row) */
    labelsPath: z.string().min(1).max(4096).optional(),
    /** items read at most (a seeded random choice when the data holds more) */
    limit: z.number().int().min(2).max(10_000_000).optional(),
    preprocess: PreprocessConfigSchema.optional(),
  })
  .strict();

export const DistillOptionsSchema = z
  .object({
    /** the teacher model: absolute, or relative to the student's folder (the GUI passes the family's original) */
    teacher: z.string().min(1).max(4096),
    /** training data: the teacher labels it, labels are not needed */
    data: DistillDataSchema,
    /** held-out data checked after each epoch; the best epoch is kept (top-1 with labels, agreement with the teacher without) */
    val: DistillDataSchema.optional(),
    epochs: z.number().int().min(1).max(500).default(5),
    batch: z.number().int().min(1).max(4096).default(64),
    optimizer: z.enum(['adam', 'sgd']).default('adam'),
    learningRate: z.number().positive().max(10).default(3e-3),
    /** softening temperature of both distributions */
    temperature: z.number().positive().max(100).default(4),
    /** weight of the cross-entropy with the data's labels (0: the teacher alone) */
    alpha: z.number().min(0).max(100).default(0),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  })
  .strict();

export type DistillOptions = z.infer<typeof DistillOptionsSchema>;
export type DistillOptionsInput = z.input<typeof DistillOptionsSchema>;
