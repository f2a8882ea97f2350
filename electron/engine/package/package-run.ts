/** Runs a package job: the output is staged beside its destination and appears only when complete. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { PackageFile, PackageMeasurement, PackageResult, PackageSpec } from '../../../shared/api/package-api';
import { slugify } from '../../../shared/package/app-identity';
import type { JobContext } from '../jobs/job-runner';
import { classifyImage } from '../runtime/demo';
import { findModelExtras, listImages } from '../runtime/inputs/model-extras';
import { ortVersion } from '../runtime/ort-info';
import { runtimeFor } from '../runtime/engine-runtime';
import type { StudioEngine } from '../studio-engine';
import { buildApp } from './app-build';
import { writeAppProject } from './app-project';
import { missingMessage, resolves } from './build-readiness';
import { writeBundle, type BundleExtras } from './bundle';
import { preparePackage, type PreparedPackage } from './package-plan';
import { checkDestination, withStaging } from './staging';
import { writeTritonRepo } from './triton-repo';
import { zipFolder } from './zip-writer';

const downloads = new WeakMap<StudioEngine, Map<string, string>>();

/** @returns the file behind a download id this engine handed out. */
export function downloadPath(engine: StudioEngine, id: string): string | undefined {
  return downloads.get(engine)?.get(id);
}

function registerDownload(engine: StudioEngine, file: string): string {
  let map = downloads.get(engine);
  if (!map) downloads.set(engine, (map = new Map()));
  const id = crypto.randomBytes(12).toString('base64url');
  map.set(id, file);
  return id;
}

function refuse(p: PreparedPackage): never {
  const errors = p.plan.issues.filter((i) => i.severity === 'error');
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more: ${errors.slice(1).map((e) => e.message).join(' ')})` : '';
  const code = errors[0].field === 'outDir' && /already exists/.test(errors[0].message) ? 'OUTPUT_EXISTS' : 'INVALID_REQUEST';
  throw new StudioError(code, `${errors[0].message}${more}`);
}

/** Measures latency and classifies one sample image through the studio's runtime, for the bundle's README. */
async function measure(engine: StudioEngine, p: PreparedPackage, ctx: JobContext): Promise<Pick<BundleExtras, 'measurement' | 'measurementNote' | 'sample'>> {
  if (p.spec.measure === false) return { measurement: null, measurementNote: 'Not measured (measurement was turned off when packaging).', sample: null };
  const runtime = runtimeFor(engine);
  let measurement: PackageMeasurement | null = null;
  let measurementNote: string | null = null;
  try {
    const b = await runtime.benchmark(p.loaded, {
      runs: 30,
      warmup: 3,
      targetId: p.spec.targetId,
      signal: ctx.signal,
      onProgress: (f, stage) => ctx.progress(0.05 + 0.3 * f, `measuring: ${stage}`),
    });
    const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
    measurement = {
      runs: b.runs,
      p50Ms: b.latencyMs.p50,
      p90Ms: b.latencyMs.p90,
      meanMs: b.latencyMs.mean,
      sessionMs: b.sessionCreateMs,
      sessionOptions: b.sessionOptions,
      coefficientOfVariation: b.coefficientOfVariation,
      host: `${cpu} (${os.cpus().length} logical cores, ${os.platform()} ${os.arch()})`,
      onnxruntimeVersion: ortVersion(),
    };
  } catch (err) {
    if (err instanceof StudioError && err.code === 'JOB_CANCELLED') throw err;
    measurementNote = `Not measured: the benchmark failed (${err instanceof Error ? err.message : String(err)}).`;
    ctx.log(measurementNote);
  }
  let sample: BundleExtras['sample'] = null;
  const dirs = [p.loaded.path, ...(p.spec.configDir ? [path.join(path.resolve(p.spec.configDir), 'model.onnx')] : [])];
  const imagesDir = dirs.map((d) => findModelExtras(d).imagesDir).find((d): d is string => d !== null);
  if (imagesDir && p.assets.imageInput && p.assets.labels) {
    const first = listImages(imagesDir, 1)[0];
    try {
      const r = await classifyImage(runtime, p.loaded, p.spec.modelId, { imagePath: first.path, preprocess: p.assets.preprocess ?? undefined, labels: p.assets.labels });
      const top = r.top[0];
      sample = { file: path.relative(path.dirname(imagesDir), first.path).split(path.sep).join('/'), label: top.label ?? `class ${top.index}`, probability: top.probability };
    } catch (err) {
      ctx.log(`The sample image could not be classified: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { measurement, measurementNote, sample };
}

/**
 * Writes a package.
 * @param engine - the engine holding the model
 * @param spec - the request (checked again here: the files may have changed since the plan)
 * @param ctx - the job's progress and cancellation
 */
export async function runPackage(engine: StudioEngine, spec: PackageSpec, ctx: JobContext): Promise<PackageResult> {
  const t0 = performance.now();
  ctx.progress(0, 'checking');
  const p = await preparePackage(engine, spec);
  if (!p.plan.ok) refuse(p);
  if (p.plan.build && !p.plan.build.ready) throw new StudioError('BUILD_TOOLS_MISSING', missingMessage(p.plan.build));
  for (const w of p.warnings) ctx.log(`warning: ${w}`);
  checkDestination(p.dest, p.protect, Boolean(spec.overwrite));
  const base = { format: spec.format, outDir: p.plan.outDir, warnings: p.warnings };
  const finish = (files: PackageFile[], extra: Partial<PackageResult> = {}): PackageResult => ({
    ...base,
    files,
    totalBytes: files.reduce((s, f) => s + (f.bytes ?? 0), 0),
    durationMs: performance.now() - t0,
    ...extra,
  });

  if (spec.format === 'triton') {
    const files = await withStaging(p.dest, async (st) => {
      const r = await writeTritonRepo(p.summary, p.loaded, { modelDir: st.dir, modelName: p.tritonName as string, maxBatchSize: spec.maxBatchSize ?? 8, instances: p.tritonInstances, labels: p.assets.labels, labelOutput: p.assets.labels ? p.assets.classifierOutput?.name : undefined }, ctx);
      return r.files.map((f) => ({ ...f, path: `${p.tritonName}/${f.path}` }));
    });
    return finish(files);
  }

  if (spec.format === 'bundle') {
    const measured = await measure(engine, p, ctx);
    const zipFinal = `${p.dest}.zip`;
    let zipBytes = 0;
    const files = await withStaging(p.dest, async (st) => {
      const extras: BundleExtras = { ...measured, reportPaths: p.reportPaths, targetId: spec.targetId ?? null, studioVersion: engine.settings.appVersion };
      ctx.progress(0.4, 'writing the bundle');
      const written = await writeBundle(st.dir, slugify(path.basename(p.dest)), p.summary, p.loaded, p.assets, extras, ctx);
      if (spec.zip !== false) {
        ctx.progress(0.75, 'zipping');
        zipBytes = await zipFolder(st.dir, st.sibling(zipFinal), path.basename(p.dest), ctx.signal, (f) => ctx.progress(0.75 + 0.24 * f, 'zipping'));
      }
      return written;
    });
    if (spec.zip === false) return finish(files, { ...(measured.measurement ? { measurement: measured.measurement } : {}) });
    return finish(files, {
      zipPath: zipFinal,
      downloadId: registerDownload(engine, zipFinal),
      ...(measured.measurement ? { measurement: measured.measurement } : {}),
      totalBytes: files.reduce((s, f) => s + (f.bytes ?? 0), 0) + zipBytes,
    });
  }

  const app = p.app;
  if (!app) throw new StudioError('INTERNAL', 'The app settings were not resolved.');
  let artifacts: string[] = [];
  const files = await withStaging(p.dest, async (st) => {
    const written = await writeAppProject(st.dir, app, p.summary, p.loaded, p.assets, engine.settings.appVersion, {
      ...ctx,
      progress: (f, stage) => ctx.progress(spec.build ? 0.12 * f : f, stage),
    });
    if (spec.build && p.electron) {
      const offline = !(await resolves('registry.npmjs.org'));
      artifacts = await buildApp(st.dir, app.platform, p.electron, offline, ctx);
      for (const a of artifacts) written.push({ path: a, bytes: fs.statSync(path.join(st.dir, a)).size, role: 'installer' });
    }
    return written;
  });
  return finish(files, spec.build ? { artifacts: artifacts.map((a) => path.join(p.dest, a)) } : {});
}
