/** Triton config generation: dims with and without batching, scalar reshape, types, labels, instance groups. */
import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../../shared/api/model-summary';
import { buildTritonConfig, hasDynamicBatch, isValidTritonName, tritonNameFromFile } from './triton-config';
import { tritonInstancesFromProfile } from './target-placement';
import type { TargetProfile } from '../../../shared/targets/profile-schema';

const t = (name: string, dtype: string, shape: TensorInfo['shape']): TensorInfo => ({ name, dtype, shape, kind: 'tensor' });

describe('buildTritonConfig', () => {
  it('batches when every first dim is dynamic and drops it from dims', () => {
    const c = buildTritonConfig([t('input', 'float32', ['batch', 3, 'h', 'w'])], [t('logits', 'float32', ['batch', 1000])], { modelName: 'm', maxBatchSize: 16, labelOutput: 'logits' });
    expect(c.dynamicBatch).toBe(true);
    expect(c.inputs[0].dims).toEqual([3, -1, -1]);
    expect(c.outputs[0]).toMatchObject({ dims: [1000], labelFile: 'labels.txt' });
    expect(c.text).toContain('max_batch_size: 16');
    expect(c.text).toContain('dynamic_batching {');
    expect(c.text).toContain('label_filename: "labels.txt"');
  });

  it('keeps the full shape with max_batch_size 0 when the batch is fixed or not shared', () => {
    const fixed = buildTritonConfig([t('x', 'int64', [1, 128])], [t('y', 'float16', [1, 128, 768])], { modelName: 'm', maxBatchSize: 8 });
    expect(fixed).toMatchObject({ dynamicBatch: false, maxBatchSize: 0 });
    expect(fixed.inputs[0]).toMatchObject({ dims: [1, 128], dataType: 'TYPE_INT64' });
    expect(fixed.outputs[0].dataType).toBe('TYPE_FP16');
    expect(fixed.text).not.toContain('dynamic_batching');
    const mixed = buildTritonConfig([t('x', 'float32', ['n', 4])], [t('y', 'float32', [4])], { modelName: 'm', maxBatchSize: 8 });
    expect(mixed.dynamicBatch).toBe(false);
    expect(mixed.inputs[0].dims).toEqual([-1, 4]);
    expect(mixed.warnings.join(' ')).toContain('batching is off');
  });

  it('declares a batch-only tensor as dims [1] with an empty reshape', () => {
    const c = buildTritonConfig([t('ids', 'int32', ['batch'])], [t('score', 'float32', ['batch'])], { modelName: 'm', maxBatchSize: 4 });
    expect(c.inputs[0]).toMatchObject({ dims: [1], reshapeToScalar: true });
    expect(c.text).toContain('reshape: { shape: [ ] }');
  });

  it('refuses types Triton cannot declare and leaves out outputs without a shape', () => {
    expect(() => buildTritonConfig([t('x', 'float8e4m3fn', [1])], [], { modelName: 'm', maxBatchSize: 1 })).toThrow(/cannot declare/);
    const c = buildTritonConfig([t('x', 'float32', ['b', 2])], [t('y', 'float32', ['b', 2]), t('z', 'float32', null)], { modelName: 'm', maxBatchSize: 2 });
    expect(c.outputs.map((o) => o.name)).toEqual(['y']);
    expect(c.warnings[0]).toContain('"z" has no declared shape');
  });

  it('names models Triton can load', () => {
    expect(tritonNameFromFile('fashion-cnn.onnx')).toBe('fashion-cnn');
    expect(tritonNameFromFile('my model (v2).onnx')).toBe('my_model_v2_');
    expect(isValidTritonName('resnet18')).toBe(true);
    expect(isValidTritonName('a/b')).toBe(false);
    expect(isValidTritonName('.hidden')).toBe(false);
  });
});

describe('instance groups from a target profile', () => {
  const profile = (over: Partial<TargetProfile>): TargetProfile =>
    ({ id: 'p', deviceClass: 'server-cpu', executionProviders: ['cpu'], threads: { intraOp: 8, interOp: 1 }, precisions: { supported: ['fp32'], preferred: 'fp32' }, ...over }) as TargetProfile;

  it('puts GPU profiles on KIND_GPU with TensorRT at the preferred precision', () => {
    const { instances } = tritonInstancesFromProfile(profile({ deviceClass: 'nvidia-gpu', executionProviders: ['tensorrt', 'cuda', 'cpu'], precisions: { supported: ['fp32', 'fp16'], preferred: 'fp16' } }));
    expect(instances).toMatchObject({ kind: 'KIND_GPU', gpuAccelerators: [{ name: 'tensorrt', precisionMode: 'FP16' }] });
    const c = buildTritonConfig([t('x', 'float32', ['b', 2])], [t('y', 'float32', ['b', 2])], { modelName: 'm', maxBatchSize: 2, instances });
    expect(c.text).toContain('kind: KIND_GPU');
    expect(c.text).toContain('gpu_execution_accelerator: [ { name: "tensorrt" parameters { key: "precision_mode" value: "FP16" } } ]');
  });

  it('puts CPU profiles on KIND_CPU with their threads, and warns for targets Triton does not serve', () => {
    const { instances } = tritonInstancesFromProfile(profile({}));
    expect(instances).toMatchObject({ kind: 'KIND_CPU', intraOpThreads: 8, interOpThreads: 1 });
    const phone = tritonInstancesFromProfile(profile({ deviceClass: 'mobile-arm-cpu', executionProviders: ['xnnpack', 'cpu'] }));
    expect(phone.instances.kind).toBe('KIND_CPU');
    expect(phone.warnings.join(' ')).toMatch(/Triton serves on servers.*xnnpack/s);
  });
});

describe('hasDynamicBatch', () => {
  it('needs inputs', () => expect(hasDynamicBatch([], [t('y', 'float32', ['b'])])).toBe(false));
});
