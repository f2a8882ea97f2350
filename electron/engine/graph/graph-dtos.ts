/** Graph DTOs of loaded models, built once per model and subgraph, and their chunks as `getGraph` sends them. */
import type { GraphChunkDto, GraphDto, GraphHeaderDto, SubgraphStep, WireChunkDto } from '../../../shared/graph/graph-dto';
import { GRAPH_CHUNK_NODES, GRAPH_CHUNK_TENSORS, toWire } from '../../../shared/graph/graph-dto';
import { ModelIR } from '../onnx/ir/model-ir';
import type { LoadedModel } from '../onnx/load';
import { buildGraphDto } from './graph-builder';
import { pathKey, resolveSubgraph } from './subgraph-path';

const irs = new WeakMap<LoadedModel, ModelIR>();
const dtos = new WeakMap<LoadedModel, Map<string, GraphDto>>();

/** @returns the IR over a loaded model's proto (built once; the proto is shared, not copied). */
export function modelIr(loaded: LoadedModel): ModelIR {
  let ir = irs.get(loaded);
  if (!ir) {
    ir = new ModelIR(loaded.proto);
    irs.set(loaded, ir);
  }
  return ir;
}

/**
 * Builds (or returns the cached) full DTO of a graph of a loaded model.
 * @param loaded - the model
 * @param modelId - its id
 * @param path - the subgraph path; empty for the main graph
 */
export function graphDtoOf(loaded: LoadedModel, modelId: string, path: SubgraphStep[] = []): GraphDto {
  let cache = dtos.get(loaded);
  if (!cache) {
    cache = new Map();
    dtos.set(loaded, cache);
  }
  const key = pathKey(path);
  let dto = cache.get(key);
  if (!dto || dto.modelId !== modelId) {
    const { graph, breadcrumb } = resolveSubgraph(modelIr(loaded).graph, path);
    dto = buildGraphDto(graph, { modelId, path, breadcrumb, external: loaded.external });
    cache.set(key, dto);
  }
  return dto;
}

/** @returns whether {@link graphDtoOf} already holds this graph of the model under this id (no build needed). */
export function isGraphDtoCached(loaded: LoadedModel, modelId: string, path: SubgraphStep[] = []): boolean {
  return dtos.get(loaded)?.get(pathKey(path))?.modelId === modelId;
}

/** @returns chunk `index` of a graph's nodes and tensors. */
export function graphChunk(dto: GraphDto, index: number): GraphChunkDto {
  const nodeOffset = Math.min(dto.nodes.length, index * GRAPH_CHUNK_NODES);
  const tensorOffset = Math.min(dto.tensors.length, index * GRAPH_CHUNK_TENSORS);
  return {
    index,
    nodeOffset,
    nodes: dto.nodes.slice(nodeOffset, nodeOffset + GRAPH_CHUNK_NODES),
    tensorOffset,
    tensors: dto.tensors.slice(tensorOffset, tensorOffset + GRAPH_CHUNK_TENSORS),
  };
}

/** @returns the header and first chunk (wire form), as `getGraph` answers. */
export function firstPart(dto: GraphDto): GraphHeaderDto & { first: WireChunkDto } {
  const { nodes: _nodes, tensors: _tensors, ...header } = dto;
  return { ...header, first: toWire(graphChunk(dto, 0)) };
}
