/** The compatibility check of a model on a target profile, with latency and memory estimates. */
import type { ModelAnalysisDto } from '../../../shared/api/analysis-api';
import type { CheckResultDto } from '../../../shared/api/targets-api';
import type { TargetProfile } from '../../../shared/targets/profile-schema';
import { ModelIR } from '../onnx/ir/model-ir';
import type { LoadedModel } from '../onnx/load';
import { checkCompatibility } from './compatibility';
import { estimateLatency, fusedNodeKeys } from './estimate';

type Analysis = Omit<ModelAnalysisDto, 'modelId'>;

/**
 * Checks a model against a profile and estimates its latency and memory there.
 * @param loaded - the model
 * @param analysis - its analysis at the sizes to check for
 * @param profile - the target
 * @param session - what applying the profile on this host does
 */
export function checkModel(loaded: LoadedModel, analysis: Analysis, profile: TargetProfile, session: CheckResultDto['session'], modelId = ''): CheckResultDto {
  const compat = checkCompatibility(profile, analysis, loaded.fileSizeBytes + loaded.externalDataBytes);
  const fused = fusedNodeKeys(new ModelIR(loaded.proto), profile.graphOptimizationLevel);
  const latency = analysis.nodes.length ? estimateLatency(profile, analysis, fused) : null;
  const errors = compat.findings.some((f) => f.severity === 'error');
  const warnings = compat.findings.some((f) => f.severity === 'warning');
  const inputShapes: CheckResultDto['analysis']['inputShapes'] = {};
  const initNames = new Set(loaded.proto.graph?.initializer.map((t) => t.name));
  for (const input of loaded.proto.graph?.input ?? []) {
    if (initNames.has(input.name)) continue;
    inputShapes[input.name] = analysis.tensors.find((t) => t.name === input.name && t.graph === 'main')?.shape ?? null;
  }
  return {
    modelId,
    fileName: loaded.fileName,
    target: { id: profile.id, name: profile.name, deviceClass: profile.deviceClass },
    verdict: errors ? 'errors' : warnings ? 'warnings' : 'ok',
    findings: compat.findings,
    assignment: compat.assignment,
    latency,
    memory: compat.memory,
    analysis: {
      macs: analysis.totals.macs,
      flops: analysis.totals.flops,
      complete: analysis.complete,
      dims: analysis.dims,
      assumedDims: analysis.assumedDims,
      inputShapes,
    },
    session,
    checkedAt: new Date().toISOString(),
  };
}
