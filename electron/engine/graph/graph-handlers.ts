/** The graph feature's engine methods: graph DTO (chunked), tensor details and model diff. */
import type { GraphChunkDto, GraphDto, GraphHeaderDto, SubgraphStep, WireChunkDto } from '../../../shared/graph/graph-dto';
import { GRAPH_CHUNK_NODES, GRAPH_CHUNK_TENSORS, toWire } from '../../../shared/graph/graph-dto';
import { ModelIR } from '../onnx/ir/model-ir';
import type { LoadedModel } from '../onnx/load';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { analysisService } from '../analysis/analysis-handlers';
import { buildGraphDto } from './graph-builder';
import { fillInferredShapes, INFER_SHAPES_MAX_NODES } from './inferred-shapes';
import { diffGraphs } from './model-diff';
import { pathKey, resolveSubgraph } from './subgraph-path';
import { tensorDetails } from './tensor-details';

/** Graphs with more nodes than this are built as a job (progress in the jobs panel). */
const JOB_THRESHOLD = 5000;

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

const enriched = new WeakSet<GraphDto>();

/** Adds inferred tensor shapes to a main graph of moderate size, once (a failed analysis leaves the DTO as it is). */
function withInferredShapes(engine: StudioEngine, dto: GraphDto): GraphDto {
  if (enriched.has(dto) || dto.path.length > 0 || dto.nodeCount > INFER_SHAPES_MAX_NODES) return dto;
  enriched.add(dto);
  try {
    fillInferredShapes(dto, analysisService(engine).staticAnalysis(dto.modelId).tensors);
  } catch {
    // shapes stay as the model records them
  }
  return dto;
}

/** The handlers to register on the engine. */
export function graphHandlers(engine: StudioEngine): FeatureHandlers {
  return {
    getGraph: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const path = req.subgraphPath ?? [];
      const nodeCount = loaded.proto.graph?.node.length ?? 0;
      const cached = dtos.get(loaded)?.get(pathKey(path))?.modelId === req.modelId;
      if (cached || nodeCount < JOB_THRESHOLD || path.length > 0) return firstPart(withInferredShapes(engine, graphDtoOf(loaded, req.modelId, path)));
      const job = engine.jobs.start(
        'graph',
        `Build the graph of ${loaded.fileName}`,
        async (ctx) => {
          ctx.progress(0.05, `reading ${nodeCount} nodes`);
          await Promise.resolve();
          const dto = withInferredShapes(engine, graphDtoOf(loaded, req.modelId, path));
          ctx.progress(1, 'done');
          return firstPart(dto);
        },
        req.jobId,
      );
      return job.result;
    },
    getGraphChunk: async (req) => toWire(graphChunk(withInferredShapes(engine, graphDtoOf(engine.loadedModel(req.modelId), req.modelId, req.subgraphPath ?? [])), req.index)),
    getTensorDetails: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const { graph } = resolveSubgraph(modelIr(loaded).graph, req.subgraphPath ?? []);
      return tensorDetails(graph, req.name, loaded.external, { previewCount: req.previewCount, bins: req.bins });
    },
    diffModels: async (req) => {
      const a = engine.loadedModel(req.modelIdA);
      const b = engine.loadedModel(req.modelIdB);
      const job = engine.jobs.start(
        'diff',
        `Compare ${a.fileName} with ${b.fileName}`,
        async (ctx) => {
          const result = diffGraphs(
            { modelId: req.modelIdA, fileName: a.fileName, graph: modelIr(a).graph, external: a.external },
            { modelId: req.modelIdB, fileName: b.fileName, graph: modelIr(b).graph, external: b.external },
            (f) => ctx.progress(f, 'comparing nodes'),
          );
          ctx.log(`${result.counts.changed} changed, ${result.counts.removed} removed, ${result.counts.added} added`);
          return result;
        },
        req.jobId,
      );
      return job.result;
    },
  };
}
