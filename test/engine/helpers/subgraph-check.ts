/** Runs a float model and its converted variant on the same feeds with onnxruntime directly and measures the error. */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { seededRandom } from '../../../shared/random/seeded-random';

/** One input of a feed: float data drawn uniformly in [-1, 1), or fixed int64 values. */
export type FeedSpec = Record<string, { dims: number[] } | { int64: number[]; dims: number[] }>;

/** Error of a converted model's outputs against the float model's, over all outputs and feeds. */
export interface Agreement {
  snrDb: number;
  maxAbsDiff: number;
  /** largest reference magnitude, to read the max diff against */
  maxAbs: number;
}

/** Makes models with If/Loop/Scan bodies (`subgraph_models.py`) in `dir`. @returns file name → path */
export function makeSubgraphModels(dir: string): Record<string, string> {
  const script = path.join(__dirname, 'subgraph_models.py');
  return JSON.parse(execFileSync('/usr/bin/python3', [script, dir], { encoding: 'utf8', maxBuffer: 1 << 20 })) as Record<string, string>;
}

function feedsOf(spec: FeedSpec, rand: () => number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, s] of Object.entries(spec)) {
    const size = s.dims.reduce((a, b) => a * b, 1);
    feeds[name] =
      'int64' in s
        ? new ort.Tensor('int64', BigInt64Array.from(s.int64, BigInt), s.dims)
        : new ort.Tensor('float32', Float32Array.from({ length: size }, () => rand() * 2 - 1), s.dims);
  }
  return feeds;
}

/**
 * Runs both models on each feed spec `repeats` times (new random data each time).
 * @returns the output SNR and max absolute difference over every output element
 */
export async function compareModels(floatPath: string, otherPath: string, specs: FeedSpec[], repeats = 4, seed = 777): Promise<Agreement> {
  const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, logSeverityLevel: 3 };
  const f = await ort.InferenceSession.create(floatPath, options);
  const q = await ort.InferenceSession.create(otherPath, options).catch(async (err: unknown) => {
    await f.release();
    throw err;
  });
  const rand = seededRandom(seed);
  let sig = 0;
  let err = 0;
  let maxAbsDiff = 0;
  let maxAbs = 0;
  try {
    for (const spec of specs) {
      for (let r = 0; r < repeats; r++) {
        const feeds = feedsOf(spec, rand);
        const [a, b] = [await f.run(feeds), await q.run(feeds)];
        for (const name of f.outputNames) {
          const x = a[name].data as Float32Array;
          const y = b[name].data as Float32Array;
          if (b[name].type !== a[name].type || x.length !== y.length) throw new Error(`output ${name}: ${b[name].type}[${y.length}] vs ${a[name].type}[${x.length}]`);
          for (let i = 0; i < x.length; i++) {
            const d = Math.abs(x[i] - y[i]);
            sig += x[i] * x[i];
            err += d * d;
            if (!(d <= maxAbsDiff)) maxAbsDiff = d;
            maxAbs = Math.max(maxAbs, Math.abs(x[i]));
          }
        }
      }
    }
  } finally {
    await Promise.all([f.release(), q.release()]);
  }
  return { snrDb: err === 0 ? Infinity : 10 * Math.log10(sig / err), maxAbsDiff, maxAbs };
}
