/** The image preprocessing config (`preprocess.json` beside a model): resize/crop, scale, mean/std, channels, layout. */
import { z } from 'zod';

/**
 * How an image becomes a model input.
 * @remarks Pixel values go `(pixel / scale - mean[c]) / std[c]`. `resize.mode`: `stretch` fills the size exactly,
 * `cover` scales to cover then centre-crops, `contain` scales to fit and pads with black, `shorter` scales the shorter
 * side to `resize.width` (keeping the aspect ratio); `crop` then centre-crops (ImageNet's resize 256 → crop 224).
 */
export const PreprocessConfigSchema = z
  .object({
    layout: z.enum(['NCHW', 'NHWC']).default('NCHW'),
    channels: z.enum(['grayscale', 'rgb', 'bgr']).default('rgb'),
    resize: z
      .object({
        width: z.number().int().min(1).max(16384),
        height: z.number().int().min(1).max(16384),
        mode: z.enum(['stretch', 'cover', 'contain', 'shorter']).default('stretch'),
      })
      .strict()
      .optional(),
    crop: z
      .object({ width: z.number().int().min(1).max(16384), height: z.number().int().min(1).max(16384) })
      .strict()
      .optional(),
    scale: z.number().positive().default(255),
    mean: z.array(z.number()).min(1).max(4).optional(),
    std: z.array(z.number().positive()).min(1).max(4).optional(),
    inputName: z.string().min(1).max(1000).optional(),
  })
  .strict();

export type PreprocessConfig = z.infer<typeof PreprocessConfigSchema>;
export type PreprocessConfigInput = z.input<typeof PreprocessConfigSchema>;
