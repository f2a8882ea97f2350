/** Child-process probes of onnxruntime: which execution providers load, and the CPU's measured GEMM throughput. */
import { execFile } from 'node:child_process';
import type { HostEpDto } from '../../../shared/api/targets-api';

/**
 * The probe script: builds a one-node model (Relu), runs it on the EP with profiling on, and reports which provider
 * actually ran the node (onnxruntime may fall back to CPU silently).
 */
const PROBE = String.raw`
const ort = require(process.argv[1]);
const fs = require('fs'); const os = require('os'); const path = require('path');
const ep = process.argv[2];
// ModelProto{ir_version 8, opset 17, graph{node Relu x->y, input x float[2], output y float[2]}}
const model = Buffer.from(process.argv[3], 'base64');
(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-ep-probe-'));
  try {
    const s = await ort.InferenceSession.create(model, { executionProviders: [ep], enableProfiling: true, profileFilePrefix: path.join(dir, 'p'), logSeverityLevel: 4 });
    await s.run({ x: new ort.Tensor('float32', new Float32Array([1, -1]), [2]) });
    s.endProfiling();
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.json'));
    const events = file ? JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) : [];
    const providers = [...new Set(events.filter((e) => e.args && e.args.provider).map((e) => e.args.provider))];
    await s.release();
    process.stdout.write(JSON.stringify({ ok: true, providers }));
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, message: String((e && e.message) || e) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
})();
`;

/** Base64 of the probe model (a Relu on float[2], opset 17, encoded by python3-onnx). */
const RELU_MODEL = 'CAgSCGRzLXByb2JlOjMKDAoBeBIBeSIEUmVsdRIBZ1oPCgF4EgoKCAgBEgQKAggCYg8KAXkSCgoICAESBAoCCAJCBAoAEBE=';

/** The GEMM script: times a 1024×1024×1024 float32 MatMul on the CPU provider and prints the best GFLOPS. */
const GEMM = String.raw`
const ort = require(process.argv[1]);
const threads = Number(process.argv[2]);
const model = Buffer.from(process.argv[3], 'base64');
(async () => {
  const s = await ort.InferenceSession.create(model, { intraOpNumThreads: threads, logSeverityLevel: 4 });
  const n = 1024;
  const a = new ort.Tensor('float32', new Float32Array(n * n).fill(0.5), [n, n]);
  let best = Infinity;
  for (let i = 0; i < 10; i++) {
    const t0 = process.hrtime.bigint();
    const out = await s.run({ a, b: a });
    const ns = Number(process.hrtime.bigint() - t0);
    out.y.dispose();
    if (i >= 2) best = Math.min(best, ns);
  }
  await s.release();
  process.stdout.write(JSON.stringify({ ok: true, gflops: (2 * n * n * n) / best }));
})().catch((e) => process.stdout.write(JSON.stringify({ ok: false, message: String((e && e.message) || e) })));
`;

/** Base64 of the GEMM model (MatMul of two float[1024, 1024] inputs, opset 17, encoded by python3-onnx). */
const GEMM_MODEL =
  'CAgSCGRzLXByb2JlOlsKEQoBYQoBYhIBeSIGTWF0TXVsEgFnWhUKAWESEAoOCAESCgoDCIAICgMIgAhaFQoBYhIQCg4IARIKCgMIgAgKAwiACGIVCgF5EhAKDggBEgoKAwiACAoDCIAIQgQKABAR';

/**
 * Measures float32 GEMM throughput of onnxruntime's CPU provider here (best of 8 timed runs, in a child process).
 * @param threads - intra-op threads (the physical cores)
 * @returns GFLOPS, or undefined when the measurement failed
 */
export function measureGemmGflops(threads: number, timeoutMs = 60_000): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', GEMM, require.resolve('onnxruntime-node'), String(threads), GEMM_MODEL],
      { timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 1 << 20 },
      (_err, stdout) => {
        try {
          const out = JSON.parse(stdout) as { ok: boolean; gflops?: number };
          resolve(out.ok && out.gflops && Number.isFinite(out.gflops) ? out.gflops : undefined);
        } catch {
          resolve(undefined);
        }
      },
    );
  });
}

/** Provider names onnxruntime prints in profiles, by the JS API's EP names. */
const PROVIDER_NAMES: Record<string, string> = {
  cpu: 'CPUExecutionProvider',
  cuda: 'CUDAExecutionProvider',
  tensorrt: 'TensorrtExecutionProvider',
  webgpu: 'WebGpuExecutionProvider',
  dml: 'DmlExecutionProvider',
  coreml: 'CoreMLExecutionProvider',
  xnnpack: 'XnnpackExecutionProvider',
  openvino: 'OpenVINOExecutionProvider',
  qnn: 'QNNExecutionProvider',
};

/** Shortens onnxruntime's error text to the part a user can read. */
export function shortenReason(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  let text = lines[0] ?? message;
  text = text.replace(/\/onnxruntime_src\/\S+:\d+\s*/g, '').replace(/onnxruntime::\S+\s*/g, '');
  const cut = text.lastIndexOf(' was false. ');
  if (cut >= 0) text = text.slice(cut + ' was false. '.length);
  text = text.replace(/^\S*(lambda|Initialize)\S*\s*/, '');
  return text.length > 240 ? `${text.slice(0, 237)}…` : text;
}

function probeOne(ortPath: string, ep: string, timeoutMs: number): Promise<{ loadable: boolean; reason: string | null }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', PROBE, ortPath, ep, RELU_MODEL],
      { timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 1 << 20 },
      (err, stdout) => {
        let out: { ok: boolean; providers?: string[]; message?: string } | undefined;
        try {
          out = JSON.parse(stdout) as typeof out;
        } catch {
          out = undefined;
        }
        if (!out) {
          const why = err && 'killed' in err && err.killed ? `no answer within ${timeoutMs / 1000} s` : `the probe process ended (${err?.message ?? 'no output'})`;
          resolve({ loadable: false, reason: `Probing crashed or hung: ${why}.` });
        } else if (!out.ok) {
          resolve({ loadable: false, reason: shortenReason(out.message ?? 'unknown error') });
        } else {
          const wanted = PROVIDER_NAMES[ep];
          const ran = out.providers ?? [];
          if (wanted && ran.length && !ran.includes(wanted)) {
            resolve({ loadable: false, reason: `The session was created but onnxruntime ran the node on ${ran.join(', ')} instead.` });
          } else resolve({ loadable: true, reason: null });
        }
      },
    );
  });
}

/**
 * Probes every backend onnxruntime-node lists.
 * @param timeoutMs - per provider
 * @returns one entry per provider, CPU first
 */
export async function probeExecutionProviders(timeoutMs = 30_000): Promise<HostEpDto[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as { listSupportedBackends?: () => Array<{ name: string; bundled: boolean }> };
  const ortPath = require.resolve('onnxruntime-node');
  const listed = ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
  const out: HostEpDto[] = [];
  for (const b of listed) {
    const r = await probeOne(ortPath, b.name, timeoutMs);
    out.push({ name: b.name, bundled: b.bundled, loadable: r.loadable, reason: r.reason });
  }
  return out.sort((a, b) => (a.name === 'cpu' ? -1 : b.name === 'cpu' ? 1 : 0));
}
