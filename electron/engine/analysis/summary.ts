/** The model summary: counts, I/O and weights, the figures `inspect` prints and the Model screen shows. */
import type { ModelSummary, TensorInfo } from '../../../shared/api/model-summary';
import { byteSize, dtypeName } from '../onnx/dtypes';
import type { LoadedModel } from '../onnx/load';
import type { GraphProto, TypeProto, ValueInfoProto } from '../onnx/proto';
import { elementCount } from '../onnx/tensor-data';
import { validateModel } from '../onnx/validate';
import { countSubgraphNodes, forEachSubgraph } from '../onnx/walk';
import { summaryCosts } from './summary-costs';
import { quantParamNames } from './quant-params';

/**
 * Summarizes a loaded model.
 * @param model - the model
 * @param options - `costs: false` leaves out MACs and FLOPs (`flops`/`macs` absent), which need a whole-graph analysis
 * @returns the summary DTO, with the problems the validator found
 */
export function summarize(model: LoadedModel, options: { costs?: boolean } = {}): ModelSummary {
  const proto = model.proto;
  const graph = proto.graph;
  const opsetImports: Record<string, number> = {};
  for (const op of proto.opsetImport) opsetImports[op.domain] = Number(op.version);
  const metadataProps: Record<string, string> = {};
  for (const p of proto.metadataProps) metadataProps[p.key] = p.value;

  const opCounts: Record<string, number> = {};
  const weights = { params: 0, quantParams: 0, bytesByDtype: {} as Record<string, number> };
  let inputs: TensorInfo[] = [];
  let outputs: TensorInfo[] = [];
  if (graph) {
    for (const n of graph.node) {
      opCounts[n.opType] = (opCounts[n.opType] ?? 0) + 1;
    }
    countWeights(graph, weights);
    const initNames = new Set(graph.initializer.map((t) => t.name));
    inputs = graph.input.filter((v) => !initNames.has(v.name)).map(valueInfo);
    outputs = graph.output.map(valueInfo);
  }
  return {
    path: model.path,
    fileName: model.fileName,
    fileSizeBytes: model.fileSizeBytes,
    externalDataBytes: model.externalDataBytes,
    irVersion: Number(proto.irVersion),
    producerName: proto.producerName,
    producerVersion: proto.producerVersion,
    domain: proto.domain,
    modelVersion: Number(proto.modelVersion),
    docString: proto.docString,
    opsetImports,
    inputs,
    outputs,
    nodeCount: graph?.node.length ?? 0,
    subgraphNodeCount: graph ? countSubgraphNodes(graph) : 0,
    initializerCount: graph?.initializer.length ?? 0,
    paramCount: weights.params,
    quantParamCount: weights.quantParams,
    opCounts,
    weightBytesByDtype: weights.bytesByDtype,
    metadataProps,
    functionCount: proto.functions.length,
    hasTrainingInfo: proto.trainingInfo.length > 0,
    ...(options.costs === false ? {} : summaryCosts(model)),
    problems: validateModel(proto, { external: model.external, fileName: model.fileName }),
  };
}

/** Adds the elements and bytes of initializers and Constant-node values of a graph and its subgraphs. */
function countWeights(graph: GraphProto, acc: { params: number; quantParams: number; bytesByDtype: Record<string, number> }): void {
  const quant = quantParamNames(graph);
  const add = (t: { dims: bigint[]; name: string; dataType: number }, name = t.name) => {
    const n = elementCount(t);
    // scales and zero points of quantization are counted apart: a quantized model keeps its parameter count
    if (quant.has(name)) acc.quantParams += n;
    else acc.params += n;
    const dt = dtypeName(t.dataType);
    acc.bytesByDtype[dt] = (acc.bytesByDtype[dt] ?? 0) + byteSize(t.dataType, n);
  };
  for (const t of graph.initializer) add(t);
  for (const node of graph.node) {
    if (node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx')) {
      const value = node.attribute.find((a) => a.name === 'value')?.t;
      if (value) add(value, node.output[0] ?? value.name);
    }
    forEachSubgraph(node, (g) => countWeights(g, acc));
  }
}

/** @returns the DTO of one graph input or output. */
export function valueInfo(v: ValueInfoProto): TensorInfo {
  return { name: v.name, ...typeInfo(v.type), ...(v.docString ? { docString: v.docString } : {}) };
}

/** @returns dtype, shape and kind of an ONNX type. */
export function typeInfo(type: TypeProto | undefined): Pick<TensorInfo, 'dtype' | 'shape' | 'kind'> {
  const v = type?.value;
  if (!v || v.case === undefined) return { dtype: 'unknown', shape: null, kind: 'unknown' };
  switch (v.case) {
    case 'tensorType':
    case 'sparseTensorType': {
      const shape = v.value.shape
        ? v.value.shape.dim.map((d) =>
            d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? d.value.value : null,
          )
        : null;
      return { dtype: dtypeName(v.value.elemType), shape, kind: v.case === 'tensorType' ? 'tensor' : 'sparse_tensor' };
    }
    case 'sequenceType': {
      const inner = typeInfo(v.value.elemType);
      return { dtype: `sequence<${inner.dtype}>`, shape: null, kind: 'sequence' };
    }
    case 'mapType': {
      const inner = typeInfo(v.value.valueType);
      return { dtype: `map<${dtypeName(v.value.keyType)},${inner.dtype}>`, shape: null, kind: 'map' };
    }
    case 'optionalType': {
      const inner = typeInfo(v.value.elemType);
      return { dtype: `optional<${inner.dtype}>`, shape: inner.shape, kind: 'optional' };
    }
    case 'opaqueType':
      return { dtype: `opaque<${v.value.domain}.${v.value.name}>`, shape: null, kind: 'opaque' };
    default:
      return { dtype: 'unknown', shape: null, kind: 'unknown' };
  }
}
