/** The dry run of a package: options resolved and checked, destination checked, the files that will be written. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { ModelSummary } from '../../../shared/api/model-summary';
import type { PackagePlan, PackageSpec } from '../../../shared/api/package-api';
import { slugify, type FieldIssue } from '../../../shared/package/app-identity';
import { defaultPackageFolder } from '../../../shared/package/package-names';
import type { LoadedModel } from '../onnx/load';
import type { StudioEngine } from '../studio-engine';
import { planAppProject } from './app-project';
import { resolveAppSettings, type AppSettings } from './app-settings';
import { checkBuildReadiness } from './build-readiness';
import { planBundle } from './bundle';
import type { ElectronBinary } from './electron-dist';
import { resolveModelAssets, type ModelAssets } from './model-assets';
import { resolveLabels, resolvePreprocess } from '../runtime/inputs/preprocess-state';
import { checkDestination } from './staging';
import { studioVersions } from './studio-versions';
import { tritonInstancesFromProfile } from './target-placement';
import { isValidTritonName, tritonNameFromFile, type TritonInstances } from './triton-config';
import { planTritonRepo } from './triton-repo';
import { loadTargetProfile } from './target-profiles';
import { listFamily } from '../variants/variant-family';

/** A checked package request with everything the job needs. */
export interface PreparedPackage {
  spec: PackageSpec;
  plan: PackagePlan;
  loaded: LoadedModel;
  summary: ModelSummary;
  assets: ModelAssets;
  /** the folder the job stages and commits */
  dest: string;
  /** files that must never sit inside a replaced folder */
  protect: string[];
  app?: AppSettings;
  electron?: ElectronBinary | null;
  tritonName?: string;
  tritonInstances?: TritonInstances;
  reportPaths: string[];
  /** issues as plain warnings, for the result */
  warnings: string[];
}

/** @returns the default output folder: `~/Deploy Studio packages/<model>-<format>` (`DEPLOY_STUDIO_PACKAGES_DIR` overrides the parent). */
export function defaultOutDir(fileName: string, format: PackageSpec['format'], variantName: string | null = null): string {
  const parent = process.env.DEPLOY_STUDIO_PACKAGES_DIR ?? path.join(os.homedir(), 'Deploy Studio packages');
  return path.join(parent, format === 'triton' ? 'triton-repository' : defaultPackageFolder(fileName, variantName, format === 'app' ? 'app' : 'bundle'));
}

/** @returns the name of the model a loaded file belongs to (its family original's file name) and the variant's name. */
function familyNames(engine: StudioEngine, modelId: string): { modelName: string; variantName: string | null } {
  const loaded = engine.loadedModel(modelId);
  try {
    const family = listFamily(engine, modelId);
    const variant = family.find((v) => v.modelId === modelId);
    return { modelName: path.basename(family[0]?.path ?? loaded.fileName), variantName: variant && variant.kind !== 'original' ? variant.name : null };
  } catch {
    return { modelName: loaded.fileName, variantName: null };
  }
}

/** Checks a file the user named is readable by this session. */
function readable(engine: StudioEngine, loaded: LoadedModel, file: string, field: string, issues: FieldIssue[]): boolean {
  const abs = path.resolve(file);
  const allow = engine.settings.allowPath;
  const inModelDir = !path.relative(loaded.dir, abs).startsWith('..');
  if (allow && !inModelDir && !allow(abs)) {
    issues.push({ field, severity: 'error', message: `${abs} is outside the folders this session may read: upload it or choose another file.` });
    return false;
  }
  if (!fs.existsSync(abs)) {
    issues.push({ field, severity: 'error', message: `${abs} does not exist.` });
    return false;
  }
  return true;
}

/** @returns a family setting's file, unless it is one beside the model (resolveModelAssets finds those, `<stem>.preprocess.json` first). */
function familyFile(setting: { origin: string; path: string | null }, loaded: LoadedModel): string | undefined {
  if (!setting.path || setting.origin === 'none' || setting.origin === 'guess') return undefined;
  return setting.origin === 'family' || path.dirname(setting.path) !== loaded.dir ? setting.path : undefined;
}

/**
 * Resolves and checks a package request.
 * @param engine - the engine holding the model
 * @param spec - the request
 * @returns the plan and what the job needs
 */
export async function preparePackage(engine: StudioEngine, request: PackageSpec): Promise<PreparedPackage> {
  const spec: PackageSpec = { ...request };
  const loaded = engine.loadedModel(spec.modelId);
  const summary = await engine.getSummary({ modelId: spec.modelId });
  const issues: FieldIssue[] = [];
  for (const [field, file] of [['preprocessPath', spec.preprocessPath], ['labelsPath', spec.labelsPath], ['iconPath', spec.iconPath]] as const) {
    if (file && !readable(engine, loaded, file, field, issues)) (spec as Record<string, unknown>)[field] = undefined;
  }
  // the family's preprocessing and labels (the Model place's editor, or files beside the model or its original) by default
  const family = { preprocess: resolvePreprocess(engine, loaded), labels: resolveLabels(engine, loaded) };
  const assets = resolveModelAssets(summary, {
    ...spec,
    preprocessPath: spec.preprocessPath ?? familyFile(family.preprocess, loaded),
    labelsPath: spec.labelsPath ?? familyFile(family.labels, loaded),
  });
  issues.push(...assets.issues);
  const names = familyNames(engine, spec.modelId);
  const outDir = path.resolve(spec.outDir ?? defaultOutDir(names.modelName, spec.format, names.variantName));
  const protect = [loaded.path, ...[...loaded.external.values()].map((r) => r.file), assets.preprocessPath, assets.labelsPath, spec.iconPath].filter((p): p is string => Boolean(p)).map((p) => path.resolve(p));
  const reportPaths = (spec.reportPaths ?? []).filter((p) => readable(engine, loaded, p, 'reportPaths', issues)).map((p) => path.resolve(p));
  protect.push(...reportPaths);
  const prepared: PreparedPackage = { spec, loaded, summary, assets, dest: outDir, protect, reportPaths, warnings: [], plan: undefined as unknown as PackagePlan };
  const plan: PackagePlan = {
    format: spec.format,
    outDir,
    outDirExists: false,
    files: [],
    totalBytes: 0,
    issues,
    ok: false,
    modelPath: loaded.path,
    preprocessPath: assets.preprocessPath,
    labelsPath: assets.labelsPath,
    labelCount: assets.labels?.length ?? 0,
  };
  const studioVersion = engine.settings.appVersion;

  if (spec.targetId) {
    try {
      const profile = await loadTargetProfile(engine, spec.targetId);
      if (spec.format === 'triton') {
        const t = tritonInstancesFromProfile(profile);
        prepared.tritonInstances = t.instances;
        for (const w of t.warnings) issues.push({ field: 'targetId', severity: 'warning', message: w });
      }
    } catch (err) {
      issues.push({ field: 'targetId', severity: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }

  if (spec.format === 'app') {
    const { settings, issues: appIssues } = await resolveAppSettings(spec, names.modelName);
    issues.push(...appIssues);
    prepared.app = settings;
    plan.app = { name: settings.name, appId: settings.appId, version: settings.version, platform: settings.platform, packageName: settings.packageName, iconGenerated: !settings.iconPath };
    plan.files = planAppProject(settings, summary, loaded, assets, studioVersion);
    if (spec.build) {
      const r = await checkBuildReadiness(settings.platform, studioVersions().electron, spec.electronDist);
      prepared.electron = r.electron;
      plan.build = { ready: r.ready, platform: r.platform, electronVersion: r.electronVersion, requirements: r.requirements };
      plan.files.push({ path: 'dist/ (installers)', bytes: null, role: 'installer' });
    }
  } else if (spec.format === 'bundle') {
    const name = slugify(path.basename(outDir));
    plan.files = planBundle(name, summary, loaded, assets, { measurement: null, measurementNote: null, sample: null, reportPaths, targetId: spec.targetId ?? null, studioVersion });
    if (spec.zip !== false) plan.files.push({ path: `../${path.basename(outDir)}.zip`, bytes: null, role: 'archive' });
  } else {
    const name = spec.tritonName?.trim() || tritonNameFromFile(loaded.fileName);
    if (!isValidTritonName(name)) {
      issues.push({ field: 'tritonName', severity: 'error', message: `"${name}" cannot name a Triton model: use letters, digits, "_", "." and "-" (no slashes), starting with a letter, digit or "_".` });
    }
    prepared.tritonName = name;
    prepared.dest = path.join(outDir, name);
    try {
      const t = planTritonRepo(summary, loaded, { modelName: name, maxBatchSize: spec.maxBatchSize ?? 8, instances: prepared.tritonInstances, labels: assets.labels, labelOutput: assets.labels ? assets.classifierOutput?.name : undefined });
      plan.files = t.files.map((f) => ({ ...f, path: `${name}/${f.path}` }));
      plan.triton = { modelName: name, maxBatchSize: t.config.maxBatchSize, dynamicBatch: t.config.dynamicBatch, instanceKind: prepared.tritonInstances?.kind ?? null };
      for (const w of t.config.warnings) issues.push({ field: 'model', severity: 'warning', message: w });
    } catch (err) {
      if (!(err instanceof StudioError)) throw err;
      issues.push({ field: 'model', severity: 'error', message: err.message });
    }
  }

  try {
    plan.outDirExists = checkDestination(prepared.dest, protect, Boolean(spec.overwrite));
  } catch (err) {
    if (!(err instanceof StudioError)) throw err;
    plan.outDirExists = fs.existsSync(prepared.dest);
    issues.push({ field: 'outDir', severity: 'error', message: err.message });
  }
  plan.totalBytes = plan.files.reduce((s, f) => s + (f.bytes ?? 0), 0);
  plan.issues = issues.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  plan.ok = !issues.some((i) => i.severity === 'error');
  prepared.warnings = issues.filter((i) => i.severity === 'warning').map((i) => i.message);
  prepared.plan = plan;
  return prepared;
}
