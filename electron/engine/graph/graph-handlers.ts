/** The graph feature's engine methods: graph DTO (chunked), tensor details and model diff. */
import type { GraphDto } from '../../../shared/graph/graph-dto';
import { toWire } from '../../../shared/graph/graph-dto';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { analysisService } from '../analysis/analysis-service';
import { firstPart, graphChunk, graphDtoOf, isGraphDtoCached, modelIr } from './graph-dtos';
import { fillInferredShapes, INFER_SHAPES_MAX_NODES } from './inferred-shapes';
import { diffGraphs } from './model-diff';
import { resolveSubgraph } from './subgraph-path';
import { tensorDetails } from './tensor-details';

/** Graphs with more nodes than this are built as a job (progress in the jobs panel). */
const JOB_THRESHOLD = 5000;

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
      const cached = isGraphDtoCached(loaded, req.modelId, path);
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
