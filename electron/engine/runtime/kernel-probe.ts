/** Child-process probe of the channel block onnxruntime's CPU convolutions use here (the NCHWc block, read from its optimized graph). */
import { create } from '@bufbuild/protobuf';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeModel, encodeModel } from '../onnx/codec';
import { DataType, GraphProtoSchema, ModelProtoSchema, NodeProtoSchema, OperatorSetIdProtoSchema, TensorProtoSchema, TypeProtoSchema, ValueInfoProtoSchema, type ModelProto } from '../onnx/proto';

/** Input and output channels of the probe Conv: 65 rounds up to a different count for every block of 2 to 64. */
const PROBE_IN = 16;
const PROBE_OUT = 65;

/** The script: opens the model with every graph optimization on, writing the optimized graph beside it. */
const SCRIPT = String.raw`
const ort = require(process.argv[1]);
(async () => {
  const s = await ort.InferenceSession.create(process.argv[2], { graphOptimizationLevel: 'all', optimizedModelFilePath: process.argv[3], intraOpNumThreads: 1, logSeverityLevel: 4 });
  await s.release();
  process.stdout.write(JSON.stringify({ ok: true }));
})().catch((e) => process.stdout.write(JSON.stringify({ ok: false, message: String((e && e.message) || e) })));
`;

function valueInfo(name: string, dims: number[]) {
  const type = create(TypeProtoSchema, {
    value: { case: 'tensorType', value: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => ({ value: { case: 'dimValue' as const, value: BigInt(d) } })) } } },
  });
  return create(ValueInfoProtoSchema, { name, type });
}

/** @returns a one-Conv model (1×1 kernel, PROBE_IN → PROBE_OUT channels, 8×8 input). */
export function probeConvModel(): ModelProto {
  const weights = new Float32Array(PROBE_OUT * PROBE_IN).map((_, i) => ((i % 7) - 3) / 10);
  const w = create(TensorProtoSchema, { name: 'w', dataType: DataType.FLOAT, dims: [BigInt(PROBE_OUT), BigInt(PROBE_IN), 1n, 1n], rawData: new Uint8Array(weights.buffer) });
  const graph = create(GraphProtoSchema, {
    name: 'channel-probe',
    node: [create(NodeProtoSchema, { opType: 'Conv', input: ['x', 'w'], output: ['y'], name: 'conv' })],
    initializer: [w],
    input: [valueInfo('x', [1, PROBE_IN, 8, 8])],
    output: [valueInfo('y', [1, PROBE_OUT, 8, 8])],
  });
  return create(ModelProtoSchema, { irVersion: 8n, producerName: 'deploy-studio-probe', opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 17n })], graph });
}

/**
 * Reads the NCHWc block from an optimized probe model: the NCHWc Conv's weight has its output channels padded up to
 * a multiple of the block.
 * @returns the block, or undefined when onnxruntime left the Conv in plain NCHW (no NCHWc kernels on this CPU)
 */
export function nchwcBlockOf(optimized: ModelProto): number | undefined {
  const graph = optimized.graph;
  const conv = graph?.node.find((n) => n.opType === 'Conv' && n.domain === 'com.microsoft.nchwc');
  const w = conv && graph?.initializer.find((t) => t.name === conv.input[1]);
  if (!w || w.dims.length < 1) return undefined;
  const padded = Number(w.dims[0]);
  for (let block = 1; block <= 256; block *= 2) if (Math.ceil(PROBE_OUT / block) * block === padded) return block;
  return undefined;
}

/** What the probe found. */
export interface KernelProbe {
  /** the NCHWc block in fp32 channels, undefined when onnxruntime did not use NCHWc convolutions */
  nchwcBlock?: number;
  /** why the probe gave no figure */
  failure?: string;
}

/**
 * Asks onnxruntime's CPU provider which channel block its convolutions use on this host: a Conv of 65 output channels
 * is optimized in a child process, and the padded weight of the NCHWc Conv it becomes gives the block.
 * @returns the block (no timing involved: the figure is the kernel's layout, so the machine's load cannot skew it)
 */
export async function probeConvBlock(timeoutMs = 30_000): Promise<KernelProbe> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-kernel-probe-'));
  try {
    const input = path.join(dir, 'probe.onnx');
    const output = path.join(dir, 'probe.optimized.onnx');
    fs.writeFileSync(input, encodeModel(probeConvModel()));
    const answer = await new Promise<{ ok: boolean; message?: string } | undefined>((resolve) => {
      execFile(
        process.execPath,
        ['-e', SCRIPT, require.resolve('onnxruntime-node'), input, output],
        { timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 1 << 20 },
        (_err, stdout) => {
          try {
            resolve(JSON.parse(stdout) as { ok: boolean; message?: string });
          } catch {
            resolve(undefined);
          }
        },
      );
    });
    if (!answer?.ok) return { failure: answer?.message ?? 'the probe process gave no answer' };
    if (!fs.existsSync(output)) return { failure: 'onnxruntime wrote no optimized model' };
    const block = nchwcBlockOf(decodeModel(fs.readFileSync(output), 'the optimized probe model'));
    return block ? { nchwcBlock: block } : {};
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
