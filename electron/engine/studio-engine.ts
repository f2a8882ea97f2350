/** The engine's API implementation: keeps parsed models and answers every StudioApi call. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../shared/api/errors';
import type { JobEvent } from '../../shared/api/jobs';
import type { AppInfo, MethodName, OpenedModel, RequestOf, ResponseTypes, StudioCalls } from '../../shared/api/methods';
import type { ModelSummary } from '../../shared/api/model-summary';
import { summarize } from './analysis/summary';
import { summaryCosts } from './analysis/summary-costs';
import { JobRunner } from './jobs/job-runner';
import { loadModelFile, type LoadedModel } from './onnx/load';
import { readablePath } from './store/path-access';
import { RecentFiles } from './store/recent-files';
import { ortVersion } from './runtime/ort-info';

/** Handlers a feature module contributes, by method name. */
export type FeatureHandlers = { [M in MethodName]?: (req: RequestOf<M>) => Promise<ResponseTypes[M]> };

export interface EngineOptions {
  /** where recent files and settings live */
  dataDir: string;
  /** the bundled sample model */
  samplePath: string;
  appVersion: string;
  /** receives job events for every front end */
  onJobEvent?: (event: JobEvent) => void;
  /** when set, only files inside these folders (and the sample) may be opened */
  allowPath?: (absPath: string) => boolean;
}

interface OpenModel {
  id: string;
  loaded: LoadedModel;
  /** without `flops`/`macs` while `costsPending` (the model was opened with `deferCosts`) */
  summary: ModelSummary;
  costsPending?: boolean;
}

/** The engine: one per worker process (or per CLI run); `createEngine` in features.ts adds the feature modules. */
export class StudioEngine implements Pick<StudioCalls, keyof import('../../shared/api/methods').CoreResponses> {
  private readonly models = new Map<string, OpenModel>();
  private readonly recent: RecentFiles;
  readonly jobs: JobRunner;
  private nextModel = 1;
  private readonly features = new Map<string, (req: never) => Promise<unknown>>();
  private readonly closeListeners: Array<(loaded: LoadedModel) => void> = [];
  private readonly disposers: Array<() => void> = [];

  constructor(private readonly options: EngineOptions) {
    this.recent = new RecentFiles(options.dataDir);
    this.jobs = new JobRunner((e) => options.onJobEvent?.(e));
  }

  /** Adds the handlers of a feature module (graph, runtime, …). */
  register(handlers: FeatureHandlers): void {
    for (const [method, fn] of Object.entries(handlers)) {
      if (fn) this.features.set(method, fn as (req: never) => Promise<unknown>);
    }
  }

  /**
   * Calls a method by name (the request must already be validated).
   * @returns the method's response
   */
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseTypes[M]> {
    const feature = this.features.get(method);
    if (feature) return feature(request as never) as Promise<ResponseTypes[M]>;
    const fn = (this as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') return Promise.reject(new StudioError('UNKNOWN_METHOD', `The engine has no method "${method}".`));
    return (fn as (req: RequestOf<M>) => Promise<ResponseTypes[M]>).call(this, request);
  }

  /** The engine's options (data folder, sample path). */
  get settings(): Readonly<EngineOptions> {
    return this.options;
  }

  async getAppInfo(): Promise<AppInfo> {
    return {
      name: 'Deploy Studio',
      version: this.options.appVersion,
      host: 'browser',
      platform: process.platform,
      arch: process.arch,
      onnxruntimeVersion: ortVersion(),
      samplePath: this.options.samplePath,
    };
  }

  async openModel(req: RequestOf<'openModel'>): Promise<OpenedModel> {
    const abs = readablePath(this.options, req.path, 'The model');
    const existing = [...this.models.values()].find((m) => m.loaded.path === abs);
    if (existing) this.models.delete(existing.id);
    const loaded = loadModelFile(abs);
    const costsPending = req.deferCosts === true;
    const summary = summarize(loaded, { costs: !costsPending });
    const id = existing?.id ?? `model-${this.nextModel++}`;
    this.models.set(id, { id, loaded, summary, costsPending });
    if (abs !== path.resolve(this.options.samplePath)) this.recent.add(abs);
    return { modelId: id, summary };
  }

  /**
   * Opens a file the engine itself made or tracks (a variant), reusing it when it is already open.
   * @returns its model id and summary
   */
  ensureOpen(filePath: string): OpenedModel {
    const abs = path.resolve(filePath);
    const existing = [...this.models.values()].find((m) => m.loaded.path === abs);
    if (existing) return { modelId: existing.id, summary: existing.summary };
    const loaded = loadModelFile(abs);
    const summary = summarize(loaded);
    const id = `model-${this.nextModel++}`;
    this.models.set(id, { id, loaded, summary });
    return { modelId: id, summary };
  }

  async openSample(): Promise<OpenedModel> {
    return this.openModel({ path: this.options.samplePath });
  }

  /** The summary, with MACs and FLOPs (computed now when the model was opened with `deferCosts`). */
  async getSummary(req: RequestOf<'getSummary'>): Promise<ModelSummary> {
    const m = this.model(req.modelId);
    if (m.costsPending) {
      m.summary = { ...m.summary, ...summaryCosts(m.loaded) };
      m.costsPending = false;
    }
    return m.summary;
  }

  async closeModel(req: RequestOf<'closeModel'>): Promise<{ closed: boolean }> {
    const m = this.models.get(req.modelId);
    const closed = this.models.delete(req.modelId);
    if (m) for (const listener of this.closeListeners) listener(m.loaded);
    return { closed };
  }

  /** Calls `listener` with a model's loaded form after it is closed (the runtime releases its sessions). */
  onModelClosed(listener: (loaded: LoadedModel) => void): void {
    this.closeListeners.push(listener);
  }

  /** Calls `disposer` when the engine is disposed (services stop their processes). */
  onDispose(disposer: () => void): void {
    this.disposers.push(disposer);
  }

  /** Stops every service's processes (inference processes, workers); the engine is not used afterwards. */
  dispose(): void {
    for (const d of this.disposers.splice(0)) {
      try {
        d();
      } catch {
        // one service failing to stop must not keep the others running
      }
    }
  }

  /** @returns every open model's id and file, so a restarted engine host can reopen them under the same ids. */
  openModelPaths(): Array<{ modelId: string; path: string }> {
    return [...this.models.values()].map((m) => ({ modelId: m.id, path: m.loaded.path }));
  }

  /**
   * Reopens a model under a known id (the engine host does this after a restart, so front ends' ids stay valid).
   * @throws StudioError when the file can no longer be loaded
   */
  restoreModel(modelId: string, filePath: string): void {
    const loaded = loadModelFile(filePath);
    this.models.set(modelId, { id: modelId, loaded, summary: summarize(loaded) });
    const n = /^model-(\d+)$/.exec(modelId);
    if (n) this.nextModel = Math.max(this.nextModel, Number(n[1]) + 1);
  }

  async listModels(): Promise<OpenedModel[]> {
    return [...this.models.values()].map((m) => ({ modelId: m.id, summary: m.summary }));
  }

  /** @returns recent files; in serve mode only those this session may still read (an old session's uploads are gone). */
  async listRecent(): Promise<ResponseTypes['listRecent']> {
    const all = this.recent.list();
    if (!this.options.allowPath) return all;
    return all.filter((r) => {
      try {
        readablePath(this.options, r.path, 'The model');
        return fs.existsSync(r.path);
      } catch {
        return false;
      }
    });
  }

  async clearRecent(): Promise<{ cleared: number }> {
    return { cleared: this.recent.clear() };
  }

  async listJobs(): Promise<ResponseTypes['listJobs']> {
    return this.jobs.list();
  }

  async cancelJob(req: RequestOf<'cancelJob'>): Promise<{ cancelled: boolean }> {
    return { cancelled: this.jobs.cancel(req.jobId) };
  }

  /** @returns the loaded model behind an id, for passes and analyses. */
  loadedModel(modelId: string): LoadedModel {
    return this.model(modelId).loaded;
  }

  private model(modelId: string): OpenModel {
    const m = this.models.get(modelId);
    if (!m) throw new StudioError('UNKNOWN_MODEL', `No open model has id "${modelId}": open the model again.`);
    return m;
  }
}
