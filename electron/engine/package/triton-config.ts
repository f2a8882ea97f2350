/** Triton's `config.pbtxt` for an ONNX model: platform, inputs/outputs with dims, batching and instance groups. */
import { StudioError } from '../../../shared/api/errors';
import type { TensorInfo } from '../../../shared/api/model-summary';
import { jsonText } from '../../../shared/security/untrusted-text';

/** ONNX element types Triton's ModelConfig can name (`DataType` in model_config.proto). */
const TRITON_TYPES: Record<string, string> = {
  bool: 'TYPE_BOOL',
  uint8: 'TYPE_UINT8',
  uint16: 'TYPE_UINT16',
  uint32: 'TYPE_UINT32',
  uint64: 'TYPE_UINT64',
  int8: 'TYPE_INT8',
  int16: 'TYPE_INT16',
  int32: 'TYPE_INT32',
  int64: 'TYPE_INT64',
  float16: 'TYPE_FP16',
  float32: 'TYPE_FP32',
  float64: 'TYPE_FP64',
  string: 'TYPE_STRING',
  bfloat16: 'TYPE_BF16',
};

/** How Triton should place model instances, from a target profile. */
export interface TritonInstances {
  kind: 'KIND_CPU' | 'KIND_GPU';
  count: number;
  /** onnxruntime execution accelerators Triton's onnxruntime backend knows (`tensorrt`, `openvino`) */
  gpuAccelerators?: Array<{ name: 'tensorrt'; precisionMode?: 'FP32' | 'FP16' | 'INT8' }>;
  cpuAccelerators?: Array<{ name: 'openvino' }>;
  intraOpThreads?: number;
  interOpThreads?: number;
  /** the profile the groups came from, written as a comment */
  profileId: string;
}

export interface TritonOptions {
  modelName: string;
  /** `max_batch_size` when the first dim of every input and output is dynamic */
  maxBatchSize: number;
  instances?: TritonInstances;
  /** the output whose classes `labels.txt` names */
  labelOutput?: string;
}

/** One tensor as written to the config. */
export interface TritonTensor {
  name: string;
  dataType: string;
  dims: number[];
  /** set when the tensor has no dims besides the batch (Triton needs `dims: [1]` and an empty reshape) */
  reshapeToScalar: boolean;
  /** the classification labels file of this output (Triton's classification extension) */
  labelFile?: string;
}

export interface TritonConfig {
  text: string;
  dynamicBatch: boolean;
  maxBatchSize: number;
  inputs: TritonTensor[];
  outputs: TritonTensor[];
  warnings: string[];
}

/** @returns the Triton name for an ONNX dtype. @throws StudioError when Triton has no such type */
export function tritonType(dtype: string, tensor: string): string {
  const t = TRITON_TYPES[dtype];
  if (!t) {
    throw new StudioError(
      'INVALID_MODEL',
      `Tensor "${tensor}" has element type ${dtype}, which Triton's model configuration cannot declare. Convert the model to a supported type (float32, float16, int8, …) first.`,
    );
  }
  return t;
}

/** Triton names: a letter, digit or underscore first, no slashes (they become folder names). */
export function isValidTritonName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(name);
}

/** @returns a Triton model name from a file name (`fashion-cnn.onnx` → `fashion-cnn`). */
export function tritonNameFromFile(fileName: string): string {
  const stem = fileName.replace(/\.onnx$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[.-]+/, '');
  return stem.slice(0, 128) || 'model';
}

const dynamic = (d: number | string | null | undefined) => typeof d !== 'number' || d < 0;

/**
 * Decides whether the model batches: every input and output has a first dim that is not a fixed number.
 * @remarks Triton's batching removes that dim from `dims`, so it must be the batch dim of every tensor.
 */
export function hasDynamicBatch(inputs: readonly TensorInfo[], outputs: readonly TensorInfo[]): boolean {
  const all = [...inputs, ...outputs.filter((o) => o.shape !== null)];
  return all.length > 0 && inputs.length > 0 && all.every((t) => t.shape !== null && t.shape.length >= 1 && dynamic(t.shape[0]));
}

function toTensor(t: TensorInfo, dropBatch: boolean): TritonTensor {
  if (t.kind !== 'tensor') {
    throw new StudioError('INVALID_MODEL', `"${t.name}" is a ${t.kind}, not a tensor: Triton's onnxruntime backend serves tensor inputs and outputs only.`);
  }
  const shape = t.shape ?? [];
  const dims = (dropBatch ? shape.slice(1) : shape).map((d) => (dynamic(d) ? -1 : (d as number)));
  const reshapeToScalar = dropBatch && dims.length === 0;
  return { name: t.name, dataType: tritonType(t.dtype, t.name), dims: reshapeToScalar ? [1] : dims, reshapeToScalar };
}

/** A quoted protobuf text-format string: quotes, backslashes and every control character escaped. */
const q = (s: string) => jsonText(s);

function tensorBlock(field: 'input' | 'output', tensors: TritonTensor[]): string[] {
  if (tensors.length === 0) return [];
  const items = tensors.map((t, i) => {
    const lines = ['  {', `    name: ${q(t.name)}`, `    data_type: ${t.dataType}`, `    dims: [ ${t.dims.join(', ')} ]`];
    if (t.reshapeToScalar) lines.push('    reshape: { shape: [ ] }');
    if (t.labelFile) lines.push(`    label_filename: ${q(t.labelFile)}`);
    lines.push(i === tensors.length - 1 ? '  }' : '  },');
    return lines.join('\n');
  });
  return [`${field} [`, ...items, ']'];
}

function instanceBlock(inst: TritonInstances): string[] {
  const lines = [`# instance groups from target profile "${inst.profileId}"`, 'instance_group [', '  {', `    count: ${inst.count}`, `    kind: ${inst.kind}`, '  }', ']'];
  const accel: string[] = [];
  for (const a of inst.gpuAccelerators ?? []) {
    const params = a.precisionMode ? ` parameters { key: "precision_mode" value: "${a.precisionMode}" }` : '';
    accel.push(`    gpu_execution_accelerator: [ { name: "${a.name}"${params} } ]`);
  }
  for (const a of inst.cpuAccelerators ?? []) accel.push(`    cpu_execution_accelerator: [ { name: "${a.name}" } ]`);
  if (accel.length) lines.push('optimization {', '  execution_accelerators {', ...accel, '  }', '}');
  const params: Array<[string, number]> = [];
  if (inst.intraOpThreads) params.push(['intra_op_thread_count', inst.intraOpThreads]);
  if (inst.interOpThreads) params.push(['inter_op_thread_count', inst.interOpThreads]);
  for (const [k, v] of params) lines.push(`parameters { key: "${k}" value: { string_value: "${v}" } }`);
  return lines;
}

/**
 * Builds `config.pbtxt` (protobuf text format of Triton's `inference.ModelConfig`).
 * @param inputs - the model's graph inputs (initializers excluded)
 * @param outputs - the model's graph outputs
 * @param options - name, batch size, instance groups
 * @returns the text and what it declares
 * @throws StudioError for tensors Triton cannot declare
 */
export function buildTritonConfig(inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], options: TritonOptions): TritonConfig {
  const warnings: string[] = [];
  const dynamicBatch = hasDynamicBatch(inputs, outputs);
  const known = outputs.filter((o) => {
    if (o.shape !== null) return true;
    warnings.push(`Output "${o.name}" has no declared shape, so it is left out of config.pbtxt; Triton's onnxruntime backend fills it in from the model (auto-complete).`);
    return false;
  });
  const ins = inputs.map((t) => toTensor(t, dynamicBatch));
  const outs = known.map((t) => ({ ...toTensor(t, dynamicBatch), ...(t.name === options.labelOutput ? { labelFile: 'labels.txt' } : {}) }));
  const maxBatchSize = dynamicBatch ? options.maxBatchSize : 0;
  if (!dynamicBatch && inputs.some((t) => t.shape && t.shape.length > 0 && dynamic(t.shape[0]))) {
    warnings.push('The first dims are not dynamic on every input and output, so Triton batching is off (max_batch_size: 0); dynamic dims are declared as -1.');
  }
  const lines = [
    '# Written by Deploy Studio: Triton model configuration (inference.ModelConfig, protobuf text format).',
    `name: ${q(options.modelName)}`,
    'platform: "onnxruntime_onnx"',
    'backend: "onnxruntime"',
    `max_batch_size: ${maxBatchSize}`,
    ...tensorBlock('input', ins),
    ...tensorBlock('output', outs),
  ];
  if (dynamicBatch) lines.push('dynamic_batching {', '  max_queue_delay_microseconds: 100', '}');
  if (options.instances) lines.push(...instanceBlock(options.instances));
  lines.push('version_policy: { latest: { num_versions: 1 } }');
  return { text: lines.join('\n') + '\n', dynamicBatch, maxBatchSize, inputs: ins, outputs: outs, warnings };
}
