/** The int8 format choice: a host's measured format table (written by `npm run bench -- int8-formats`), and the ISA rule. */
import { z } from 'zod';

export const INT8_FORMATS = ['u8s8', 's8s8', 'u8u8'] as const;
export type Int8Format = (typeof INT8_FORMATS)[number];

/** One quantized variant of one model, timed against the float model. */
const RowSchema = z
  .object({
    format: z.enum(INT8_FORMATS),
    reduceRange: z.boolean(),
    perChannel: z.boolean(),
    p50Ms: z.number().positive(),
    /** float p50 / this p50, the median over alternated rounds */
    speedup: z.number().positive(),
  })
  .strict();

/** The file `host-int8-formats.json` in the data folder: static int8 formats timed against float on this machine. */
export const Int8FormatTableSchema = z
  .object({
    kind: z.literal('deploy-studio-int8-formats'),
    version: z.literal(1),
    cpuModel: z.string().min(1).max(200),
    simd: z.array(z.string().max(40)).max(60),
    onnxruntimeVersion: z.string().min(1).max(40),
    threads: z.number().int().min(1).max(1024),
    measuredAt: z.string().max(40),
    models: z
      .array(z.object({ model: z.string().min(1).max(200), floatP50Ms: z.number().positive(), rows: z.array(RowSchema).min(1).max(20) }).strict())
      .min(1)
      .max(20),
  })
  .strict();
export type Int8FormatTable = z.infer<typeof Int8FormatTableSchema>;

/** A variant kind over every model of a table: its speed-ups and their geometric mean. */
export interface FormatScore {
  format: Int8Format;
  reduceRange: boolean;
  perChannel: boolean;
  /** geometric mean over the models */
  speedup: number;
  byModel: Array<{ model: string; speedup: number }>;
}

/** @returns a variant's name as the tables print it: `U8S8`, `U8S8 reduce-range`, `S8S8 per-tensor`. */
export function formatLabel(r: { format: Int8Format; reduceRange: boolean; perChannel: boolean }): string {
  return `${r.format.toUpperCase()}${r.reduceRange ? ' reduce-range' : ''}${r.perChannel ? '' : ' per-tensor'}`;
}

/**
 * Scores every variant measured on all models of the table.
 * @returns fastest first
 */
export function scoreFormats(t: Int8FormatTable): FormatScore[] {
  const key = (r: { format: string; reduceRange: boolean; perChannel: boolean }) => `${r.format}|${r.reduceRange}|${r.perChannel}`;
  const scores = new Map<string, FormatScore>();
  for (const m of t.models) {
    for (const r of m.rows) {
      const s = scores.get(key(r)) ?? { format: r.format, reduceRange: r.reduceRange, perChannel: r.perChannel, speedup: 0, byModel: [] };
      s.byModel.push({ model: m.model, speedup: r.speedup });
      scores.set(key(r), s);
    }
  }
  const all = [...scores.values()].filter((s) => s.byModel.length === t.models.length);
  for (const s of all) s.speedup = Math.exp(s.byModel.reduce((a, b) => a + Math.log(b.speedup), 0) / s.byModel.length);
  return all.sort((a, b) => b.speedup - a.speedup);
}

/** @returns "resnet18 2.71×, mobilenet_v2 2.25×" */
export function speedupText(s: FormatScore): string {
  return s.byModel.map((b) => `${b.model} ${b.speedup.toFixed(2)}×`).join(', ');
}

/** Speed-ups closer than this (relative) are a tie: alternated runs on a busy machine differ that much between rounds. */
export const FORMAT_TIE = 0.05;

/**
 * The int8 format of a measured host: the fastest format measured (per-channel variants; reduce-range is a question of
 * saturation, not speed, since it runs the same kernels), the preferred one when the fastest is within {@link FORMAT_TIE}.
 * @param preferred - the format the profile or the ISA rule gives
 * @returns the format and the sentence with the figures, or undefined when the table has no per-channel rows
 */
export function formatByMeasurement(t: Int8FormatTable, preferred: Int8Format): { format: Int8Format; reason: string } | undefined {
  const plain = scoreFormats(t).filter((s) => s.perChannel && !s.reduceRange);
  if (!plain.length) return undefined;
  const best = plain[0];
  const pref = plain.find((s) => s.format === preferred);
  const pick = pref && pref.speedup >= best.speedup * (1 - FORMAT_TIE) ? pref : best;
  const others = plain.filter((s) => s !== pick).map((s) => `${formatLabel(s)} ${speedupText(s)}`);
  const tie = pick !== best ? ` (within ${Math.round(FORMAT_TIE * 100)} % of ${formatLabel(best)}, a tie)` : '';
  return {
    format: pick.format,
    reason:
      `int8 format ${formatLabel(pick)} measured fastest on this host${tie} (${t.cpuModel}, onnxruntime ${t.onnxruntimeVersion}, ${t.threads} thread(s), ${t.measuredAt.slice(0, 10)}: ` +
      `${formatLabel(pick)} ${speedupText(pick)} float${others.length ? `; ${others.join('; ')}` : ''})`,
  };
}

/** @returns true for x86 SIMD flags. */
export function isX86(simd: readonly string[]): boolean {
  return simd.some((f) => f.startsWith('avx') || f.startsWith('sse') || f.startsWith('amx'));
}

/**
 * The ISA rule for the int8 format, written from measurements on an AVX-512 VNNI AMD EPYC (2 cores, onnxruntime 1.30,
 * 2 threads; static int8 per-channel against float, alternated p50, three runs of the table): resnet18 U8S8 2.6–3.3×,
 * S8S8 0.86–1.09×; mobilenet_v2 U8S8 1.9–2.3×, S8S8 1.2–1.3×. U8S8 with reduce-range runs the same kernels (head to
 * head 0.97–1.04× of U8S8 at one thread), so reduce-range is chosen by saturation, not speed.
 * @param preferred - the profile's format
 * @returns on x86: U8S8, since onnxruntime's x86 int8 kernels multiply uint8 activations by int8 weights and S8S8
 * activations are converted only where a tensor has a single reader (convolutions after a branch stay in float, with
 * or without VNNI); elsewhere (Arm's SDOT/UDOT, GPUs) the profile's format
 */
export function formatByIsa(simd: readonly string[], preferred: Int8Format): { format: Int8Format; reason: string } {
  if (isX86(simd)) {
    return {
      format: 'u8s8',
      reason:
        `int8 format U8S8 by the x86 rule: onnxruntime's x86 kernels multiply uint8 activations by int8 weights, and S8S8 activations are converted only where a tensor has one reader (convolutions after a branch stay in float); ` +
        `measured on an AVX-512 VNNI EPYC: resnet18 U8S8 2.6–3.3× float, S8S8 0.86–1.09×${preferred !== 'u8s8' ? `; the profile asked ${preferred.toUpperCase()}` : ''}`,
    };
  }
  return { format: preferred, reason: `int8 format ${preferred.toUpperCase()} from the profile (not an x86 CPU: its int8 kernels take this format natively)` };
}
