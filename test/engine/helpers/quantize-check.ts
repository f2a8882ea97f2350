/** Independent checks of quantized models: ONNX's checker, the kernels onnxruntime fuses, agreement and SNR vs float. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { seededRandom } from '../../../shared/random/seeded-random';

const PY_CHECK = String.raw`
import json, sys, collections, onnx
out = {}
for path in sys.argv[1:]:
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    out[path] = dict(collections.Counter(n.op_type for n in m.graph.node))
print(json.dumps(out))
`;

/**
 * Runs ONNX's own checker (full check, with shape inference) on models.
 * @returns op counts per file; throws when a model fails the check
 */
export function onnxCheck(paths: string[]): Record<string, Record<string, number>> {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY_CHECK, ...paths], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

/** @returns op type → count of the graph onnxruntime actually runs (its optimized model, written out). */
export async function fusedOps(file: string): Promise<Record<string, number>> {
  const dump = `${file}.ort-optimized.onnx`;
  const s = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'all', optimizedModelFilePath: dump, intraOpNumThreads: 1, logSeverityLevel: 3 });
  await s.release();
  try {
    const py = 'import json,sys,collections,onnx; m=onnx.load(sys.argv[1], load_external_data=False); print(json.dumps(collections.Counter(n.op_type for n in m.graph.node)))';
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, dump], { encoding: 'utf8' }));
  } finally {
    fs.rmSync(dump, { force: true });
  }
}

/**
 * Runs a float and a quantized model on the same uniform random inputs in [-1, 1) with onnxruntime directly.
 * @returns top-1 agreement (percent) and the output SNR (dB) over all items
 */
export async function agreementOnRandom(floatPath: string, quantPath: string, shape: number[], count: number, seed = 4242): Promise<{ agreement: number; snrDb: number }> {
  const [f, q] = await Promise.all([floatPath, quantPath].map((p) => ort.InferenceSession.create(p, { intraOpNumThreads: 2, logSeverityLevel: 3 })));
  const rand = seededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  let agree = 0;
  let sig = 0;
  let err = 0;
  try {
    for (let i = 0; i < count; i++) {
      const x = Float32Array.from({ length: size }, () => rand() * 2 - 1);
      const feeds = { [f.inputNames[0]]: new ort.Tensor('float32', x, shape) };
      const a = (await f.run(feeds))[f.outputNames[0]].data as Float32Array;
      const b = (await q.run(feeds))[q.outputNames[0]].data as Float32Array;
      let ia = 0;
      let ib = 0;
      for (let k = 0; k < a.length; k++) {
        if (a[k] > a[ia]) ia = k;
        if (b[k] > b[ib]) ib = k;
        sig += a[k] * a[k];
        err += (a[k] - b[k]) ** 2;
      }
      if (ia === ib) agree++;
    }
  } finally {
    await Promise.all([f.release(), q.release()]);
  }
  return { agreement: (100 * agree) / count, snrDb: 10 * Math.log10(sig / err) };
}

/** @returns the size of a model file and its external data file, if any. */
export function modelBytes(file: string): number {
  const data = `${file}.data`;
  return fs.statSync(file).size + (fs.existsSync(data) ? fs.statSync(data).size : 0);
}
