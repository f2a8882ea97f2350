/** Package and export: the model-runner app project, the runtime bundle and the Triton model repository. */
import { z } from 'zod';
import { APP_PLATFORMS, type AppPlatform, type FieldIssue } from '../package/app-identity';
import { jobRequestFields } from './jobs';
import type { ResolvedSessionOptions } from './runtime-dto';

/** What a package job writes. */
export const PACKAGE_FORMATS = ['app', 'bundle', 'triton'] as const;
export type PackageFormat = (typeof PACKAGE_FORMATS)[number];

const PathField = z.string().min(1).max(4096);

/** The options of a package, the same for the plan (a dry run) and the job. */
const packageSpecFields = {
  modelId: z.string().min(1).max(200),
  format: z.enum(PACKAGE_FORMATS),
  /** the folder to write: the app project, the bundle, or the Triton repository root; default under the user's home */
  outDir: PathField.optional(),
  /** replace `outDir` (or the model's folder in a Triton repository) when it exists */
  overwrite: z.boolean().optional(),
  /** the preprocessing config (JSON); default: `preprocess.json` beside the model or in `configDir` */
  preprocessPath: PathField.optional(),
  /** class labels, one a line; default: `labels.txt` beside the model or in `configDir` */
  labelsPath: PathField.optional(),
  /** another folder to look in for `preprocess.json` and `labels.txt` (a variant's original) */
  configDir: PathField.optional(),
  /** a target profile id: Triton instance groups, the bundle README */
  targetId: z.string().min(1).max(100).optional(),
  /** app: display name (productName) */
  name: z.string().max(200).optional(),
  /** app: reverse-DNS id; default derived from the name */
  appId: z.string().max(200).optional(),
  /** app: semver; default 1.0.0 */
  version: z.string().max(100).optional(),
  /** app: a PNG of at least 256×256; default: a generated icon */
  iconPath: PathField.optional(),
  /** app: the platform `npm run dist` and `--build` build for; default: this host's */
  platform: z.enum(APP_PLATFORMS).optional(),
  /** app: also run electron-builder (needs Electron binaries and the project's dependencies) */
  build: z.boolean().optional(),
  /** app: a folder holding an unpacked Electron or its release zip, for `build` without a download */
  electronDist: PathField.optional(),
  /** bundle: also write `<outDir>.zip`; default true */
  zip: z.boolean().optional(),
  /** bundle: comparison reports (HTML, JSON, CSV, Markdown) to include */
  reportPaths: z.array(PathField).max(20).optional(),
  /** bundle: measure latency on this host for the README; default true */
  measure: z.boolean().optional(),
  /** triton: the model's name in the repository; default from the file name */
  tritonName: z.string().max(200).optional(),
  /** triton: `max_batch_size` when the batch dim is dynamic; default 8 */
  maxBatchSize: z.number().int().min(1).max(65536).optional(),
};

export const PackageSpecSchema = z.object(packageSpecFields).strict();
export type PackageSpec = z.input<typeof PackageSpecSchema>;

export const packageRequests = {
  /** a dry run: validates the options and lists the files that would be written */
  planPackage: PackageSpecSchema,
  /** writes the package as a job (progress, cancel); the output appears only when complete */
  runPackage: z.object({ ...packageSpecFields, ...jobRequestFields }).strict(),
  /** the file behind a download id a package job returned (serve mode offers it over HTTP) */
  resolveDownload: z.object({ downloadId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }).strict(),
} as const;

/** One file a package writes, relative to its output folder. */
export interface PackageFile {
  path: string;
  /** null when not known before the job runs (built installers, the zip) */
  bytes: number | null;
  /** what it is: `model`, `config`, `labels`, `source`, `readme`, `icon`, `runner`, `report`, `installer`, `archive` */
  role: string;
}

/** Something `--build` needs and how to provide it. */
export interface BuildRequirement {
  what: string;
  found: boolean;
  /** where it was found, or what to do to provide it */
  detail: string;
}

/** Whether this machine can build the app's installers now. */
export interface BuildReadiness {
  ready: boolean;
  platform: AppPlatform;
  electronVersion: string;
  requirements: BuildRequirement[];
}

/** The dry run's answer. */
export interface PackagePlan {
  format: PackageFormat;
  /** the absolute folder that will be written */
  outDir: string;
  /** true when the folder exists (the job refuses unless `overwrite`) */
  outDirExists: boolean;
  files: PackageFile[];
  totalBytes: number;
  /** problems with the options; the job refuses while any is an error */
  issues: FieldIssue[];
  ok: boolean;
  modelPath: string;
  preprocessPath: string | null;
  labelsPath: string | null;
  labelCount: number;
  /** the resolved app identity (defaults filled in) */
  app?: { name: string; appId: string; version: string; platform: AppPlatform; packageName: string; iconGenerated: boolean };
  /** the resolved Triton model name and batch handling */
  triton?: { modelName: string; maxBatchSize: number; dynamicBatch: boolean; instanceKind: 'KIND_CPU' | 'KIND_GPU' | null };
  build?: BuildReadiness;
}

/** Latency measured on this host while packaging (for the bundle's README). */
export interface PackageMeasurement {
  runs: number;
  p50Ms: number;
  p90Ms: number;
  meanMs: number;
  sessionMs: number;
  host: string;
  onnxruntimeVersion: string;
  /** the session settings the figures were measured with (the runtime's one resolver) */
  sessionOptions: ResolvedSessionOptions;
  /** std / mean of the timed runs: above 0.1 the figures are marked as noisy */
  coefficientOfVariation: number;
}

/** The job's result. */
export interface PackageResult {
  format: PackageFormat;
  outDir: string;
  files: PackageFile[];
  totalBytes: number;
  warnings: string[];
  /** bundle: the zip beside the folder */
  zipPath?: string;
  /** bundle: the id that `resolveDownload` (and serve's `/api/download/<id>`) accept for the zip */
  downloadId?: string;
  measurement?: PackageMeasurement;
  /** app with `build`: the installers electron-builder wrote (absolute paths) */
  artifacts?: string[];
  durationMs: number;
}

export interface PackageResponses {
  planPackage: PackagePlan;
  runPackage: PackageResult;
  resolveDownload: { path: string; fileName: string; sizeBytes: number };
}
