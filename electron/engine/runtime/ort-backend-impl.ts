/** The onnxruntime-node implementation of the inference backend interface. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { BackendSession, BackendSessionOptions, HostTensor, InferenceBackend, PreparedFeeds, TensorDtype, ValueMeta } from './backend';
import { isTensorDtype } from './host-tensor';
import { ortVersion } from './ort-info';

interface OrtFeeds extends PreparedFeeds {
  readonly tensors: Record<string, ort.Tensor>;
}

function toOrtOptions(o: BackendSessionOptions): ort.InferenceSession.SessionOptions {
  // 4 (fatal only): onnxruntime's error text reaches the user through the studio's own message, not as a raw log line
  const out: ort.InferenceSession.SessionOptions = { logSeverityLevel: 4 };
  if (o.intraOpThreads !== undefined) out.intraOpNumThreads = o.intraOpThreads;
  if (o.interOpThreads !== undefined) out.interOpNumThreads = o.interOpThreads;
  if (o.graphOptimizationLevel) out.graphOptimizationLevel = o.graphOptimizationLevel;
  if (o.executionMode) out.executionMode = o.executionMode;
  if (o.executionProviders?.length) out.executionProviders = o.executionProviders as ort.InferenceSession.ExecutionProviderConfig[];
  if (o.enableProfiling) {
    out.enableProfiling = true;
    if (o.profileFilePrefix) out.profileFilePrefix = o.profileFilePrefix;
  }
  return out;
}

function meta(m: ort.InferenceSession.ValueMetadata): ValueMeta {
  if (!m.isTensor) return { name: m.name, isTensor: false, dtype: 'unknown', shape: [] };
  return { name: m.name, isTensor: true, dtype: m.type, shape: m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' && d ? d : null)) };
}

function toHost(t: ort.Tensor): HostTensor {
  const dtype = isTensorDtype(t.type) ? t.type : 'float32';
  const data = t.data;
  if (t.type === 'bool' && !(data instanceof Uint8Array)) return { dtype, dims: [...t.dims], data: Uint8Array.from(data as ArrayLike<number>) };
  return { dtype: dtype as TensorDtype, dims: [...t.dims], data: data as HostTensor['data'] };
}

class OrtSession implements BackendSession {
  readonly inputs: readonly ValueMeta[];
  readonly outputs: readonly ValueMeta[];

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly profilePrefix: string | undefined,
  ) {
    this.inputs = session.inputMetadata.map(meta);
    this.outputs = session.outputMetadata.map(meta);
  }

  prepare(feeds: Record<string, HostTensor>): OrtFeeds {
    const tensors: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      tensors[name] = new ort.Tensor(t.dtype, t.data as ort.Tensor.DataType, t.dims);
    }
    return { backend: 'onnxruntime-node', tensors };
  }

  async run(feeds: PreparedFeeds, outputNames?: readonly string[]): Promise<Record<string, HostTensor>> {
    const tensors = (feeds as OrtFeeds).tensors;
    const result = outputNames ? await this.session.run(tensors, outputNames) : await this.session.run(tensors);
    const out: Record<string, HostTensor> = {};
    for (const [name, value] of Object.entries(result)) out[name] = toHost(value as ort.Tensor);
    return out;
  }

  async runDiscarding(feeds: PreparedFeeds): Promise<void> {
    await this.session.run((feeds as OrtFeeds).tensors);
  }

  endProfiling(): string | undefined {
    if (!this.profilePrefix) return undefined;
    this.session.endProfiling();
    const dir = path.dirname(this.profilePrefix);
    const base = path.basename(this.profilePrefix);
    const files = fs.readdirSync(dir).filter((f) => f.startsWith(base) && f.endsWith('.json'));
    return files.length ? path.join(dir, files.sort().pop() as string) : undefined;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** onnxruntime-node on the CPU (the build bundled with the npm package). */
export class OrtBackend implements InferenceBackend {
  readonly name = 'onnxruntime-node';
  readonly version = ortVersion();

  async createSession(modelPath: string, options: BackendSessionOptions): Promise<BackendSession> {
    const session = await ort.InferenceSession.create(modelPath, toOrtOptions(options));
    return new OrtSession(session, options.enableProfiling ? options.profileFilePrefix : undefined);
  }
}
