/** `deploy-studio package MODEL --app|--bundle|--triton …`: the model-runner app project, the runtime bundle, Triton. */
import type { Command } from 'commander';
import { StudioError } from '../../shared/api/errors';
import type { PackageFormat, PackagePlan, PackageResult, PackageSpec } from '../../shared/api/package-api';
import { APP_PLATFORMS, type AppPlatform } from '../../shared/package/app-identity';
import { preparePackage, runPackage, runtimeFor } from '../engine';
import { createCliEngine, runCliJob } from './cli-engine';
import { formatBytes } from '../../shared/format/bytes';
import { printErr, printJson, printOut } from './output';

export interface PackageOptions {
  app?: boolean;
  bundle?: boolean;
  triton?: boolean;
  out?: string;
  overwrite?: boolean;
  name?: string;
  platform?: string;
  version?: string;
  appId?: string;
  icon?: string;
  build?: boolean;
  electronDist?: string;
  target?: string;
  tritonName?: string;
  maxBatchSize?: string;
  preprocess?: string;
  labels?: string;
  configDir?: string;
  report?: string[];
  zip?: boolean;
  measure?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** @returns the format the flags choose. @throws StudioError unless exactly one is given */
export function formatOf(o: PackageOptions): PackageFormat {
  const chosen = (['app', 'bundle', 'triton'] as const).filter((f) => o[f]);
  if (chosen.length !== 1) throw new StudioError('INVALID_REQUEST', 'Choose one format: --app (desktop app project), --bundle (Node runtime bundle) or --triton (Triton model repository).');
  return chosen[0];
}

/** Turns the flags into a package request (the model id is filled in later). */
export function specOf(o: PackageOptions): Omit<PackageSpec, 'modelId'> {
  const format = formatOf(o);
  if (o.platform !== undefined && !(APP_PLATFORMS as readonly string[]).includes(o.platform)) {
    throw new StudioError('INVALID_REQUEST', `--platform must be win, linux or mac, not "${o.platform}".`);
  }
  let maxBatchSize: number | undefined;
  if (o.maxBatchSize !== undefined) {
    maxBatchSize = Number(o.maxBatchSize);
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1 || maxBatchSize > 65536) throw new StudioError('INVALID_REQUEST', '--max-batch-size must be a whole number from 1 to 65536.');
  }
  const appOnly = { name: o.name, version: o.version, appId: o.appId, icon: o.icon, platform: o.platform, build: o.build, electronDist: o.electronDist };
  if (format !== 'app') {
    const given = Object.entries(appOnly).filter(([, v]) => v !== undefined).map(([k]) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    if (given.length) throw new StudioError('INVALID_REQUEST', `${given.join(', ')}: only with --app.`);
  }
  return {
    format,
    ...(o.out ? { outDir: o.out } : {}),
    ...(o.overwrite ? { overwrite: true } : {}),
    ...(o.preprocess ? { preprocessPath: o.preprocess } : {}),
    ...(o.labels ? { labelsPath: o.labels } : {}),
    ...(o.configDir ? { configDir: o.configDir } : {}),
    ...(o.target ? { targetId: o.target } : {}),
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.appId ? { appId: o.appId } : {}),
    ...(o.version ? { version: o.version } : {}),
    ...(o.icon ? { iconPath: o.icon } : {}),
    ...(o.platform ? { platform: o.platform as AppPlatform } : {}),
    ...(o.build ? { build: true } : {}),
    ...(o.electronDist ? { electronDist: o.electronDist } : {}),
    ...(o.zip === false ? { zip: false } : {}),
    ...(o.report?.length ? { reportPaths: o.report } : {}),
    ...(o.measure === false ? { measure: false } : {}),
    ...(o.tritonName ? { tritonName: o.tritonName } : {}),
    ...(maxBatchSize ? { maxBatchSize } : {}),
  };
}

function planText(plan: PackagePlan): string {
  const lines = [`would write ${plan.outDir}${plan.outDirExists ? ' (replacing it)' : ''}: ${plan.files.length} files, ${formatBytes(plan.totalBytes)}`];
  if (plan.app) lines.push(`app: "${plan.app.name}" ${plan.app.version}, ${plan.app.appId}, installers for ${plan.app.platform}${plan.app.iconGenerated ? ', generated icon' : ''}`);
  if (plan.triton) lines.push(`triton: "${plan.triton.modelName}", ${plan.triton.dynamicBatch ? `dynamic batching up to ${plan.triton.maxBatchSize}` : 'no batching (fixed batch dim)'}, instances ${plan.triton.instanceKind ?? 'Triton default'}`);
  lines.push(`preprocessing: ${plan.preprocessPath ?? 'from the input shape'}; labels: ${plan.labelsPath ? `${plan.labelCount} (${plan.labelsPath})` : 'none'}`);
  for (const f of plan.files) lines.push(`  ${f.path}${f.bytes !== null ? `  ${formatBytes(f.bytes)}` : ''}`);
  for (const i of plan.issues) lines.push(`${i.severity}: ${i.message}`);
  if (plan.build) for (const r of plan.build.requirements) lines.push(`${r.found ? 'found  ' : 'MISSING'} ${r.what}: ${r.detail}`);
  return lines.join('\n');
}

function resultText(r: PackageResult): string {
  const lines = [`wrote ${r.outDir}: ${r.files.length} files, ${formatBytes(r.files.reduce((s, f) => s + (f.bytes ?? 0), 0))} (${(r.durationMs / 1000).toFixed(1)} s)`];
  if (r.zipPath) lines.push(`  and ${r.zipPath}`);
  for (const a of r.artifacts ?? []) lines.push(`  installer: ${a}`);
  if (r.measurement) lines.push(`  measured here: p50 ${r.measurement.p50Ms.toFixed(3)} ms over ${r.measurement.runs} runs`);
  if (r.format === 'app' && !r.artifacts) lines.push(`next: cd "${r.outDir}" && npm install && npm run dist`);
  if (r.format === 'bundle') lines.push(`next: cd "${r.outDir}" && npm install && node run.js IMAGE`);
  return lines.join('\n');
}

/** Runs the verb. */
export async function runPackageCommand(modelPath: string, o: PackageOptions): Promise<void> {
  const spec = specOf(o);
  const engine = createCliEngine({ quiet: o.json });
  try {
    const { modelId } = await engine.openModel({ path: modelPath });
    const full: PackageSpec = { ...spec, modelId };
    if (o.dryRun) {
      const plan = (await preparePackage(engine, full)).plan;
      if (o.json) printJson(plan, 2);
      else printOut(planText(plan));
      if (!plan.ok) process.exitCode = 2;
      return;
    }
    const result = await runCliJob(engine, 'package', `Package ${modelPath}`, (ctx) => runPackage(engine, full, ctx));
    if (!o.json) for (const w of result.warnings) printErr(`warning: ${w}`);
    if (o.json) printJson(result, 2);
    else printOut(resultText(result));
  } finally {
    runtimeFor(engine).dispose();
  }
}

/**
 * Adds the `package` verb to the program.
 * @param fail - the CLI's error printer (one line, exit code 2 for StudioError)
 */
export function registerPackageCommand(program: Command, fail: (err: unknown, json: boolean) => void): void {
  program
    .command('package')
    .description('package a model: an installable desktop app project, a Node runtime bundle, or a Triton model repository')
    .argument('<model>', 'path to an .onnx file (never modified)')
    .option('--app', 'write an Electron model-runner app project (electron-builder: NSIS + portable, AppImage + deb, dmg)')
    .option('--bundle', 'write a folder and a .zip with the model and a Node runner (node run.js image.png)')
    .option('--triton', 'write <out>/<name>/config.pbtxt and <out>/<name>/1/model.onnx')
    .option('--out <dir>', 'the output folder (the Triton repository root for --triton)')
    .option('--overwrite', 'replace an earlier output of Deploy Studio at --out')
    .option('--name <name>', 'app: display name')
    .option('--version <semver>', 'app: version (default 1.0.0)')
    .option('--app-id <id>', 'app: reverse-DNS id, e.g. com.yourcompany.classifier')
    .option('--icon <png>', 'app: square PNG icon, at least 256×256 (default: generated)')
    .option('--platform <platform>', 'app: win, linux or mac (default: this system)')
    .option('--build', 'app: also build the installers with electron-builder (needs the Electron release locally)')
    .option('--electron-dist <dir>', 'app: a folder with the Electron release zip or an unpacked Electron')
    .option('--target <id>', 'a target profile: Triton instance groups, the bundle\'s measured session settings')
    .option('--triton-name <name>', 'triton: the model\'s name in the repository')
    .option('--max-batch-size <n>', 'triton: max_batch_size when the batch dim is dynamic (default 8)')
    .option('--preprocess <file>', 'the preprocessing config (default: preprocess.json beside the model)')
    .option('--labels <file>', 'class labels, one a line (default: labels.txt beside the model)')
    .option('--config-dir <dir>', 'another folder to look in for preprocess.json and labels.txt')
    .option('--report <file>', 'bundle: a comparison report to include (repeatable)', collect)
    .option('--no-zip', 'bundle: do not write the .zip')
    .option('--no-measure', 'bundle: do not measure latency for the README')
    .option('--dry-run', 'check the options and list the files, write nothing')
    .option('--json', 'print one JSON object')
    .action(async (model: string, opts: PackageOptions) => {
      try {
        await runPackageCommand(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });
}
