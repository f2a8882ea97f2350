/** API handlers of quantization: the defaults the Quantize panel starts from (target, mode, data found beside the model). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { QuantizeDefaultsDto } from '../../../../shared/api/quantize-api';
import { ModelIR } from '../../onnx/ir/model-ir';
import { DataType, type ModelProto } from '../../onnx/proto';
import { isImageFile } from '../../runtime/inputs/model-extras';
import type { FeatureHandlers, StudioEngine } from '../../studio-engine';
import { variantStore } from '../../variants/variant-family';
import { WEIGHTED_OPS } from './op-rules';
import { quantDefaults } from './target-defaults';
import { profileStore } from '../../targets/target-services';

/** @returns Conv/Gemm/MatMul nodes with a stored float32 weight, by op type. */
function quantizableOps(proto: ModelProto): Record<string, number> {
  const graph = new ModelIR(proto).graph;
  const out: Record<string, number> = {};
  for (const n of graph.nodes) {
    if (!WEIGHTED_OPS.includes(n.opType) || (n.domain !== '' && n.domain !== 'ai.onnx')) continue;
    const w = n.input[1] ? graph.constantTensor(n.input[1]) : undefined;
    if (w && w.dataType === DataType.FLOAT && !graph.isInput(n.input[1])) out[n.opType] = (out[n.opType] ?? 0) + 1;
  }
  return out;
}

/** @returns the suggested mode for a model's op mix. */
function suggestMode(proto: ModelProto, q: Record<string, number>): { mode: 'static' | 'dynamic'; reason: string } {
  const ops = new Set(proto.graph?.node.map((n) => n.opType) ?? []);
  // recurrent ops, or a Loop/Scan body doing matrix products (an RNN written as a loop)
  const bodiesWithDense = proto.graph ? [...new ModelIR(proto).graph.allGraphs()].some((g) => g.parent && g.nodes.some((n) => n.opType === 'MatMul' || n.opType === 'Gemm')) : false;
  const recurrent = ['LSTM', 'GRU', 'RNN', 'Attention'].some((o) => ops.has(o)) || bodiesWithDense;
  const dense = (q.MatMul ?? 0) + (q.Gemm ?? 0);
  if (recurrent || (dense > (q.Conv ?? 0) && (ops.has('LayerNormalization') || ops.has('Softmax')))) {
    return { mode: 'dynamic', reason: 'transformer/RNN-style model: its activations vary per input, so they are quantized at run time' };
  }
  return { mode: 'static', reason: (q.Conv ?? 0) > 0 ? 'convolutional model: static QDQ lets onnxruntime run fused int8 kernels' : 'static QDQ gives the fused int8 kernels' };
}

/** @returns data folders found beside the model's original: `images/`, ONNX test data, `.npy` files. */
function calibrationSuggestions(dir: string, fileName: string): QuantizeDefaultsDto['calibrationSuggestions'] {
  const out: QuantizeDefaultsDto['calibrationSuggestions'] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  const images = entries.find((e) => e.isDirectory() && e.name === 'images');
  if (images) {
    const p = path.join(dir, images.name);
    let count = 0;
    for (const e of fs.readdirSync(p, { withFileTypes: true })) {
      if (e.isFile() && isImageFile(e.name)) count++;
      else if (e.isDirectory()) count += fs.readdirSync(path.join(p, e.name)).filter(isImageFile).length;
    }
    out.push({ path: p, label: `Images beside ${fileName} (${count})` });
  }
  for (const e of entries) {
    if (e.isDirectory() && e.name.startsWith('test_data_set_')) out.push({ path: dir, label: `ONNX test data beside ${fileName}` });
    if (e.isFile() && e.name.endsWith('.npy')) out.push({ path: path.join(dir, e.name), label: e.name });
  }
  return out.filter((s, i) => out.findIndex((x) => x.path === s.path) === i);
}

/** @returns the handlers this module adds to the engine. */
export function quantizeHandlers(engine: StudioEngine): FeatureHandlers {
  return {
    getQuantizeDefaults: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const d = await quantDefaults(profileStore(engine), req.targetId);
      const quantizable = quantizableOps(loaded.proto);
      let root = loaded.path;
      try {
        root = variantStore(engine).familyOf(loaded.path).family.rootPath;
      } catch {
        // a model outside any family is its own root
      }
      let { mode, reason } = suggestMode(loaded.proto, quantizable) as { mode: QuantizeDefaultsDto['mode']; reason: string };
      if (d.profile?.precisions.preferred === 'fp16' || (d.profile && d.mode === 'none' && d.profile.precisions.supported.includes('fp16'))) {
        mode = 'fp16';
        reason = `${d.profile.name} prefers float16 compute`;
      } else if (d.profile && d.mode === 'dynamic') {
        mode = 'dynamic';
        reason = `${d.profile.name}'s recipe defaults to dynamic quantization`;
      }
      return {
        mode,
        modeReason: reason,
        format: d.format,
        perChannel: d.perChannel,
        reduceRange: d.reduceRange,
        reduceRangeReason: d.reduceRangeReason,
        method: d.method,
        source: d.source,
        calibrationSuggestions: calibrationSuggestions(path.dirname(root), path.basename(root)),
        quantizable,
      };
    },
  };
}
