/** The StudioApi contract: every method's request schema (zod) and response type, in one table. */
import { z } from 'zod';
import type { ModelSummary } from './model-summary';
import type { JobEvent, JobInfo } from './jobs';
import { graphRequests, type GraphResponses } from './graph-api';
import { optimizeRequests, type OptimizeResponses } from './optimize-api';
import { variantRequests, type VariantResponses } from './variants-api';
import { packageRequests, type PackageResponses } from './package-api';
import { analysisRequests, type AnalysisResponses } from './analysis-api';
import { targetsRequests, type TargetsResponses } from './targets-api';
import { runtimeRequests, type RuntimeResponses } from './runtime-api';
import { tasksRequests, type TasksResponses } from './tasks-api';
import { evaluateRequests, type EvaluateResponses } from './evaluate-api';
import { pruneRequests, type PruneResponses } from './prune-api';
import { quantizeRequests, type QuantizeResponses } from './quantize-api';
import { preprocessRequests, type PreprocessResponses } from './preprocess-api';
import { exportRequests, type ExportResponses } from './export-api';

/** Prefix of every IPC channel and RPC method name (house style 4). */
export const CHANNEL_PREFIX = 'studio:';

const ModelRef = z.object({ modelId: z.string().min(1).max(200) }).strict();
const Empty = z.object({}).strict();

/** Requests of the core methods (app, models, recent files, jobs). */
export const coreRequests = {
  getAppInfo: Empty,
  /** `deferCosts`: answer without the summary's MACs/FLOPs (a whole-graph analysis); `getSummary` adds them later */
  openModel: z.object({ path: z.string().min(1).max(4096), deferCosts: z.boolean().optional() }).strict(),
  openSample: Empty,
  getSummary: ModelRef,
  closeModel: ModelRef,
  listModels: Empty,
  listRecent: Empty,
  clearRecent: Empty,
  listJobs: Empty,
  cancelJob: z.object({ jobId: z.string().min(1).max(200) }).strict(),
} as const;

/**
 * Request schemas of every method. A request is parsed once, where it first crosses a process boundary: the Electron
 * IPC handler (electron/main/ipc.ts) or the server's RPC handler (electron/server/studio-server.ts). The engine host
 * trusts its parent and does not parse again; in-process callers (CLI verbs, tests) are typed.
 * @remarks Each feature declares its methods in its own `*-api.ts` file and is spread in here.
 */
export const requestSchemas = {
  ...coreRequests,
  ...graphRequests,
  ...variantRequests,
  ...optimizeRequests,
  ...packageRequests,
  ...analysisRequests,
  ...targetsRequests,
  ...runtimeRequests,
  ...tasksRequests,
  ...evaluateRequests,
  ...pruneRequests,
  ...quantizeRequests,
  ...preprocessRequests,
  ...exportRequests,
} as const;

export type MethodName = keyof typeof requestSchemas;
export const METHOD_NAMES = Object.keys(requestSchemas) as MethodName[];

/** Which front end is running the renderer. */
export type HostKind = 'electron' | 'browser';

export interface AppInfo {
  name: string;
  version: string;
  host: HostKind;
  platform: string;
  arch: string;
  onnxruntimeVersion: string;
  samplePath: string;
}

export interface OpenedModel {
  modelId: string;
  summary: ModelSummary;
}

export interface RecentFile {
  path: string;
  fileName: string;
  openedAt: string;
}

/** Responses of the core methods. */
export interface CoreResponses {
  getAppInfo: AppInfo;
  openModel: OpenedModel;
  openSample: OpenedModel;
  getSummary: ModelSummary;
  closeModel: { closed: boolean };
  listModels: OpenedModel[];
  listRecent: RecentFile[];
  clearRecent: { cleared: number };
  listJobs: JobInfo[];
  cancelJob: { cancelled: boolean };
}

/** Response type of each method: one interface per feature file, joined here. */
export type ResponseTypes = CoreResponses & GraphResponses & VariantResponses & OptimizeResponses & PackageResponses & AnalysisResponses & TargetsResponses & RuntimeResponses & TasksResponses & EvaluateResponses & PruneResponses & QuantizeResponses & PreprocessResponses & ExportResponses;

export type RequestOf<M extends MethodName> = z.input<(typeof requestSchemas)[M]>;

/** The one API every front end talks to (design.md, "The API contract"). */
export type StudioCalls = { [M in MethodName]: (req: RequestOf<M>) => Promise<ResponseTypes[M]> };

/** Events pushed from the engine to every front end. */
export type StudioEvent = { type: 'job'; event: JobEvent };

export type Unsubscribe = () => void;

export interface StudioApi extends StudioCalls {
  /** Subscribes to engine events; returns the function that unsubscribes. */
  onEvent(listener: (event: StudioEvent) => void): Unsubscribe;
}

/**
 * Validates a request for a method by name.
 * @param method - the method name; unknown names are refused
 * @param payload - the untrusted request object
 * @returns the parsed request or an error message naming the bad field
 */
export function parseRequest(
  method: string,
  payload: unknown,
): { ok: true; method: MethodName; request: unknown } | { ok: false; code: 'UNKNOWN_METHOD' | 'INVALID_REQUEST'; message: string } {
  if (!Object.prototype.hasOwnProperty.call(requestSchemas, method)) {
    return { ok: false, code: 'UNKNOWN_METHOD', message: `Unknown API method "${method}".` };
  }
  const schema = requestSchemas[method as MethodName];
  const result = schema.safeParse(payload ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length ? issue.path.join('.') : 'request';
    return { ok: false, code: 'INVALID_REQUEST', message: `Invalid ${method} request: ${where}: ${issue?.message ?? 'invalid'}.` };
  }
  return { ok: true, method: method as MethodName, request: result.data };
}
