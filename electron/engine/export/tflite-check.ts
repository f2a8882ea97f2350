/**
 * The check after writing: the .tflite runs in Arm NN's reference backend (scripts/tflite-check.py, an implementation
 * independent of the writer) and the ONNX model in onnxruntime, on the same generated inputs; the outputs are compared.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import { appRoot } from '../host/app-paths';
import type { LoadedModel } from '../onnx/load';
import { ModelIR } from '../onnx/ir/model-ir';
import { parseNpy } from '../runtime/inputs/npy';
import type { RuntimeService } from '../runtime/runtime-service';
import { agreement, type AgreementFigures } from './check-metrics';
import { writeNpyF32 } from './npy-write';
import { NHWC, invert, transposeData } from './tflite/layout';
import type { TfliteIo } from './tflite/convert-graph';

/** The outcome of the independent check. */
export interface TfliteCheck {
  /** false when the checker (python3-pyarmnn) is not installed: nothing was compared */
  ran: boolean;
  checker: string;
  /** what was fed: generated inputs, with their count and distribution */
  inputs: string;
  /** agreement per output, by name */
  outputs: Array<{ name: string } & AgreementFigures>;
  /** why it did not run, or what the checker refused */
  message?: string;
}

/** Where the checker script lives and which Python runs it. */
function checker(): { python: string; script: string } {
  return { python: process.env.DEPLOY_STUDIO_PYTHON ?? '/usr/bin/python3', script: path.join(appRoot(), 'scripts', 'tflite-check.py') };
}

/** Deterministic standard-normal values (xorshift32 + Box–Muller). */
export function seededNormal(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(next()));
    const t = 2 * Math.PI * next();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Stored-order data of N samples from ONNX-order data (or back, with `back`). */
function relayout(data: Float32Array, io: TfliteIo, samples: number, back = false): Float32Array {
  if (io.layout !== 'nhwc') return data;
  const per = size(io.onnxShape);
  const out = new Float32Array(data.length);
  for (let s = 0; s < samples; s++) {
    const slice = data.subarray(s * per, (s + 1) * per);
    const shape = back ? io.shape : io.onnxShape;
    out.set(transposeData(slice, shape, back ? invert(NHWC) : NHWC), s * per);
  }
  return out;
}

function runChecker(tflite: string, inputs: string[], outDir: string, signal?: AbortSignal): Promise<{ ok: boolean; runtime?: string; code?: string; message?: string; outputs?: Array<{ file: string }> }> {
  const { python, script } = checker();
  return new Promise((resolve, reject) => {
    execFile(python, [script, tflite, '--inputs', ...inputs, '--out-dir', outDir], { signal, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (line) {
        resolve(JSON.parse(line) as { ok: boolean });
        return;
      }
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        resolve({ ok: false, code: 'CHECK_RUNTIME_MISSING', message: `${python} was not found` });
        return;
      }
      if (signal?.aborted) {
        reject(new StudioError('JOB_CANCELLED', 'The TFLite check was cancelled.'));
        return;
      }
      resolve({ ok: false, code: 'CHECK_FAILED', message: (stderr || String(err)).trim().split('\n').slice(-3).join(' ') });
    });
  });
}

/**
 * Runs the written model in Arm NN and the ONNX model in onnxruntime on the same inputs and compares them.
 * @param runtime - the engine's runtime (onnxruntime, in its worker process)
 * @param loaded - the ONNX model
 * @param tflitePath - the written .tflite
 * @param io - the conversion's inputs and outputs
 * @param options - samples (default 8), seed, an input generator, cancellation
 */
export async function checkTflite(
  runtime: RuntimeService,
  loaded: LoadedModel,
  tflitePath: string,
  io: { inputs: TfliteIo[]; outputs: TfliteIo[] },
  options: { samples?: number; seed?: number; makeInput?: (io: TfliteIo, samples: number) => Float32Array; describeInputs?: string; signal?: AbortSignal } = {},
): Promise<TfliteCheck> {
  const samples = options.samples ?? 8;
  const seed = options.seed ?? 1;
  const described = options.describeInputs ?? `${samples} generated inputs (standard normal, seed ${seed})`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-tflite-check-'));
  try {
    const data = io.inputs.map((inp, i) => options.makeInput?.(inp, samples) ?? seededNormal(samples * size(inp.onnxShape), seed + i));
    const files = io.inputs.map((inp, i) => {
      const f = path.join(tmp, `input-${i}.npy`);
      writeNpyF32(f, [samples, ...inp.shape], relayout(data[i], inp, samples));
      return f;
    });
    const outDir = path.join(tmp, 'out');
    const result = await runChecker(tflitePath, files, outDir, options.signal);
    if (!result.ok) {
      const missing = result.code === 'CHECK_RUNTIME_MISSING';
      return { ran: false, checker: 'Arm NN (python3-pyarmnn)', inputs: described, outputs: [], message: missing ? `Not checked: python3-pyarmnn is not installed (${result.message}). Install Debian's python3-pyarmnn to compare the file with the ONNX model.` : `Arm NN could not run the file: ${result.message}` };
    }
    const reference = await onnxOutputs(runtime, loaded, io, data, samples, options.signal);
    const outputs = io.outputs.map((out, k) => {
      const got = parseNpy(fs.readFileSync(result.outputs![k].file), 'output').data as Float32Array;
      const cand = relayout(got, out, samples, true);
      const classes = out.onnxShape.length === 2 ? out.onnxShape[1] : undefined;
      return { name: out.name, ...agreement(reference[k], cand, samples, classes) };
    });
    return { ran: true, checker: result.runtime ?? 'Arm NN', inputs: described, outputs };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The ONNX model's outputs on the samples (a batch at a time when the batch is free, else one by one). */
async function onnxOutputs(runtime: RuntimeService, loaded: LoadedModel, io: { inputs: TfliteIo[]; outputs: TfliteIo[] }, data: Float32Array[], samples: number, signal?: AbortSignal): Promise<Float32Array[]> {
  const ir = new ModelIR(loaded.proto);
  const infos = ir.graph.runtimeInputs();
  const batchFree = infos.every((info) => {
    const t = info.type?.value.case === 'tensorType' ? info.type.value.value : undefined;
    const d0 = t?.shape?.dim[0];
    return d0 !== undefined && d0.value.case !== 'dimValue';
  });
  const chunk = batchFree ? Math.min(samples, 50) : 1;
  const outs = io.outputs.map((o) => new Float32Array(samples * size(o.onnxShape)));
  for (let s = 0; s < samples; s += chunk) {
    const n = Math.min(chunk, samples - s);
    const feeds = Object.fromEntries(
      io.inputs.map((inp, i) => {
        const per = size(inp.onnxShape);
        return [inp.name, { dtype: 'float32' as const, dims: [n, ...inp.onnxShape.slice(1)], data: data[i].slice(s * per, (s + n) * per) }];
      }),
    );
    const r = await runtime.runFeeds(loaded, feeds, { signal, outputs: io.outputs.map((o) => o.name) });
    io.outputs.forEach((o, k) => {
      const per = size(o.onnxShape);
      outs[k].set((r.outputs[o.name].data as Float32Array).subarray(0, n * per), s * per);
    });
  }
  return outs;
}
