/** Analyses of open models: static inference per model and sizes, one onnxruntime run as a job when shapes stay unknown. */
import type { ModelAnalysisDto } from '../../../shared/api/analysis-api';
import type { JobContext } from '../jobs/job-runner';
import type { LoadedModel } from '../onnx/load';
import type { StudioEngine } from '../studio-engine';
import { analyzeModel, type AnalysisResult } from './model-analysis';
import { runtimeShapes } from './runtime-shapes';
import { isComplete } from './tensor-facts';

type Analysis = Omit<ModelAnalysisDto, 'modelId'>;

/** Analyses of the open models, cached per model object and sizes (a reopened model is a new object). */
export class AnalysisService {
  private readonly cache = new WeakMap<LoadedModel, Map<string, Analysis>>();

  constructor(private readonly engine: StudioEngine) {}

  /**
   * The static analysis (no onnxruntime run), cached.
   * @param modelId - an open model
   * @param dims - sizes of symbolic dims
   */
  staticAnalysis(modelId: string, dims: Readonly<Record<string, number>> = {}): Analysis {
    const loaded = this.engine.loadedModel(modelId);
    const key = `static:${dimsKey(dims)}`;
    const hit = this.entries(loaded).get(key);
    if (hit) return hit;
    const { dto } = analyzeModel(loaded, { dims });
    this.entries(loaded).set(key, dto);
    return dto;
  }

  /**
   * The analysis with the runtime fallback: when static inference leaves main-graph tensors without a shape, the
   * model runs once (a job) with the given sizes and the measured shapes fill the gaps.
   * @param modelId - an open model
   * @param dims - sizes of symbolic dims
   * @param jobId - the job id the caller chose
   */
  async analysis(modelId: string, dims: Readonly<Record<string, number>> = {}, jobId?: string): Promise<Analysis> {
    const loaded = this.engine.loadedModel(modelId);
    const key = `full:${dimsKey(dims)}`;
    const hit = this.entries(loaded).get(key);
    if (hit) return hit;
    const first = analyzeModel(loaded, { dims });
    const missing = incompleteMainTensors(first);
    if (missing.length === 0) {
      this.entries(loaded).set(key, first.dto);
      return first.dto;
    }
    const { result } = this.engine.jobs.start(
      'analysis',
      `Measure shapes of ${loaded.fileName}`,
      async (ctx: JobContext) => {
        ctx.progress(0.1, `running the model once for ${missing.length} tensors static inference could not size`);
        try {
          const facts = await runtimeShapes(this.engine, loaded, missing, { ...first.dto.assumedDims, ...dims }, ctx.signal);
          ctx.throwIfCancelled();
          ctx.progress(0.9, 'analysing');
          const { dto } = analyzeModel(loaded, { dims, runtimeFacts: facts });
          const sizes = Object.entries({ ...dto.assumedDims, ...dims }).map(([k, v]) => `${k}=${v}`).join(', ');
          dto.runtimeFallback.message = `Shapes of ${dto.runtimeFallback.tensors} tensors were measured by one onnxruntime run${sizes ? ` at ${sizes}` : ''}; they hold for those sizes only.`;
          dto.notes.push(dto.runtimeFallback.message);
          return dto;
        } catch (err) {
          ctx.throwIfCancelled();
          const message = `Running the model to find the missing shapes failed: ${(err as Error).message}`;
          ctx.log(message);
          return { ...first.dto, runtimeFallback: { used: false, tensors: 0, message }, notes: [...first.dto.notes, message] };
        }
      },
      jobId,
    );
    const dto = await result;
    this.entries(loaded).set(key, dto);
    return dto;
  }

  private entries(loaded: LoadedModel): Map<string, Analysis> {
    let m = this.cache.get(loaded);
    if (!m) {
      m = new Map();
      this.cache.set(loaded, m);
    }
    return m;
  }
}

function dimsKey(dims: Readonly<Record<string, number>>): string {
  return JSON.stringify(Object.entries(dims).sort(([a], [b]) => a.localeCompare(b)));
}

/** @returns main-graph tensors produced by nodes whose facts are incomplete. */
function incompleteMainTensors(result: AnalysisResult): string[] {
  const out: string[] = [];
  for (const node of result.ir.graph.nodes) {
    for (const name of node.output) {
      const rec = result.inference.main.tensors.get(name);
      if (name && !rec?.facts?.nonTensor && !isComplete(rec?.facts)) out.push(name);
    }
  }
  return out;
}

const services = new WeakMap<StudioEngine, AnalysisService>();

/** @returns the analysis service of an engine (one per engine, shared by the features that read analyses). */
export function analysisService(engine: StudioEngine): AnalysisService {
  let s = services.get(engine);
  if (!s) {
    s = new AnalysisService(engine);
    services.set(engine, s);
  }
  return s;
}
