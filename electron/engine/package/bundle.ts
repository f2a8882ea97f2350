/** The runtime bundle: model, config, labels, a Node CLI runner (onnxruntime-node + sharp), README, reports. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PackageFile, PackageMeasurement } from '../../../shared/api/package-api';
import { jsonText } from '../../../shared/security/untrusted-text';
import type { ModelSummary } from '../../../shared/api/model-summary';
import type { JobContext } from '../jobs/job-runner';
import type { LoadedModel } from '../onnx/load';
import { bundleReadme } from './bundle-readme';
import { runnerConfig, type ModelAssets } from './model-assets';
import { copyModel, modelBytes } from './model-copy';
import { writeMarker } from './package-marker';
import { MARKER_FILE } from './staging';
import { studioVersions } from './studio-versions';
import { templateFiles, writeTemplateFiles } from './templates';

/** What the bundle's README reports beyond the model itself. */
export interface BundleExtras {
  measurement: PackageMeasurement | null;
  measurementNote: string | null;
  sample: { file: string; label: string; probability: number } | null;
  reportPaths: string[];
  targetId: string | null;
  studioVersion: string;
}

/** @returns the bundle's package.json object (exact dependency versions: the ones the studio runs). */
export function bundlePackageJson(name: string, version: string, modelFile: string): Record<string, unknown> {
  const v = studioVersions();
  return {
    name,
    version,
    private: true,
    description: `${modelFile} with a Node.js runner (onnxruntime-node), packaged by Deploy Studio.`,
    main: 'run.js',
    bin: { [name]: 'run.js' },
    scripts: { start: 'node run.js' },
    engines: { node: '>=20.19' },
    dependencies: { 'onnxruntime-node': v['onnxruntime-node'], sharp: v.sharp },
  };
}

/** @returns a file name for a report, unique among those already taken. */
function reportName(file: string, taken: Set<string>): string {
  const base = path.basename(file);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${path.parse(base).name}-${i}${path.extname(base)}`;
  taken.add(name);
  return name;
}

function textFiles(name: string, summary: ModelSummary, assets: ModelAssets, extras: BundleExtras, reports: string[]): Array<{ path: string; text: string; role: string }> {
  const v = studioVersions();
  const json = (o: unknown) => jsonText(o, 2) + '\n';
  const out = [
    { path: 'package.json', text: json(bundlePackageJson(name, '1.0.0', summary.fileName)), role: 'config' },
    { path: 'runner-config.json', text: json(runnerConfig(summary, assets, summary.fileName, 'model.onnx', extras.measurement?.sessionOptions ?? null)), role: 'config' },
    {
      path: 'README.md',
      text: bundleReadme({
        summary,
        assets,
        studioVersion: extras.studioVersion,
        versions: { onnxruntime: v['onnxruntime-node'], sharp: v.sharp },
        measurement: extras.measurement,
        measurementNote: extras.measurementNote,
        sample: extras.sample,
        reports,
        targetId: extras.targetId,
      }),
      role: 'readme',
    },
  ];
  if (assets.labels) out.push({ path: 'labels.txt', text: assets.labels.join('\n') + '\n', role: 'labels' });
  if (assets.preprocess) out.push({ path: 'preprocess.json', text: json(assets.preprocess), role: 'config' });
  return out;
}

/** @returns the files the bundle will hold (the plan's list). */
export function planBundle(name: string, summary: ModelSummary, model: LoadedModel, assets: ModelAssets, extras: BundleExtras): PackageFile[] {
  const taken = new Set<string>();
  const reports = extras.reportPaths.map((p) => ({ src: p, name: reportName(p, taken) }));
  const files: PackageFile[] = [
    ...templateFiles('runtime-bundle').map((f) => ({ path: f.target, bytes: f.bytes, role: 'runner' })),
    ...templateFiles('runtime-core', 'lib').filter((f) => f.target.endsWith('.cjs')).map((f) => ({ path: f.target, bytes: f.bytes, role: 'runner' })),
    ...textFiles(name, summary, assets, extras, reports.map((r) => r.name)).map((t) => ({ path: t.path, bytes: Buffer.byteLength(t.text), role: t.role })),
    ...reports.map((r) => ({ path: `reports/${r.name}`, bytes: fs.existsSync(r.src) ? fs.statSync(r.src).size : null, role: 'report' })),
    { path: 'model.onnx', bytes: model.external.size ? null : modelBytes(model), role: 'model' },
    { path: MARKER_FILE, bytes: null, role: 'marker' },
  ];
  if (model.external.size) files.push({ path: 'model.onnx.data', bytes: model.externalDataBytes, role: 'model' });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Writes the bundle into `dir` (a staging folder the caller commits).
 * @returns the files written
 */
export async function writeBundle(dir: string, name: string, summary: ModelSummary, model: LoadedModel, assets: ModelAssets, extras: BundleExtras, ctx: JobContext): Promise<PackageFile[]> {
  const taken = new Set<string>();
  const reports = extras.reportPaths.map((p) => ({ src: p, name: reportName(p, taken) }));
  const files: PackageFile[] = [
    ...writeTemplateFiles(templateFiles('runtime-bundle'), dir, {}),
    ...writeTemplateFiles(templateFiles('runtime-core', 'lib').filter((f) => f.target.endsWith('.cjs')), dir, {}),
  ].map((f) => ({ ...f, role: 'runner' }));
  fs.chmodSync(path.join(dir, 'run.js'), 0o755);
  for (const t of textFiles(name, summary, assets, extras, reports.map((r) => r.name))) {
    fs.writeFileSync(path.join(dir, t.path), t.text);
    files.push({ path: t.path, bytes: Buffer.byteLength(t.text), role: t.role });
  }
  if (reports.length) fs.mkdirSync(path.join(dir, 'reports'));
  for (const r of reports) {
    fs.copyFileSync(r.src, path.join(dir, 'reports', r.name));
    files.push({ path: `reports/${r.name}`, bytes: fs.statSync(r.src).size, role: 'report' });
  }
  ctx.throwIfCancelled();
  const copied = await copyModel(model, dir, 'model.onnx', '', ctx.signal, (f) => ctx.progress(0.45 + 0.3 * f, 'copying the model'));
  files.push(...copied.files.map((f) => ({ ...f, role: 'model' })));
  writeMarker(dir, { format: 'bundle', model: model.path });
  files.push({ path: MARKER_FILE, bytes: fs.statSync(path.join(dir, MARKER_FILE)).size, role: 'marker' });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
