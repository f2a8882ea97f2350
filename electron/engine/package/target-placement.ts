/** Triton instance groups from a target profile: GPU or CPU, accelerators from its execution providers, its threads. */
import type { TargetProfile } from '../../../shared/targets/profile-schema';
import type { TritonInstances } from './triton-config';

const PRECISION_MODE = { fp16: 'FP16', bf16: 'FP16', int8: 'INT8', int4: 'INT8', fp32: 'FP32' } as const;

/**
 * Maps a profile to Triton's placement.
 * @returns the instance groups and warnings for profiles Triton does not serve on as such
 */
export function tritonInstancesFromProfile(profile: TargetProfile): { instances: TritonInstances; warnings: string[] } {
  const warnings: string[] = [];
  const eps = profile.executionProviders;
  const gpu = profile.deviceClass === 'nvidia-gpu' || eps.includes('cuda') || eps.includes('tensorrt');
  if (['browser', 'mobile-arm-cpu', 'npu'].includes(profile.deviceClass)) {
    warnings.push(`Target "${profile.id}" is a ${profile.deviceClass} profile; Triton serves on servers, so its instance groups run on the CPU.`);
  }
  const unsupported = eps.filter((e) => !['cpu', 'cuda', 'tensorrt', 'openvino'].includes(e));
  if (unsupported.length) warnings.push(`Triton's onnxruntime backend has no accelerator for ${unsupported.join(', ')}: those execution providers are left out.`);
  const instances: TritonInstances = {
    kind: gpu ? 'KIND_GPU' : 'KIND_CPU',
    count: 1,
    profileId: profile.id,
    ...(gpu && eps.includes('tensorrt') ? { gpuAccelerators: [{ name: 'tensorrt' as const, precisionMode: PRECISION_MODE[profile.precisions.preferred] }] } : {}),
    ...(!gpu && eps.includes('openvino') ? { cpuAccelerators: [{ name: 'openvino' as const }] } : {}),
    ...(profile.threads.intraOp > 0 ? { intraOpThreads: profile.threads.intraOp } : {}),
    ...(profile.threads.interOp > 0 ? { interOpThreads: profile.threads.interOp } : {}),
  };
  return { instances, warnings };
}
