/** Generates the model-runner app project: Electron + React sources, package.json, electron-builder.json, model, icon. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PackageFile } from '../../../shared/api/package-api';
import { jsonText } from '../../../shared/security/untrusted-text';
import type { ModelSummary } from '../../../shared/api/model-summary';
import type { JobContext } from '../jobs/job-runner';
import type { LoadedModel } from '../onnx/load';
import { appBuilderConfig } from './app-builder-config';
import { defaultIcon } from './app-icon';
import { appReadme } from './app-readme';
import { appIdDomain, type AppSettings } from './app-settings';
import { runnerConfig, type ModelAssets } from './model-assets';
import { copyModel, modelBytes } from './model-copy';
import { writeMarker } from './package-marker';
import { MARKER_FILE } from './staging';
import { studioVersions } from './studio-versions';
import { templateFiles, writeTemplateFiles, type TemplateFile } from './templates';

/** Everything about the project that is text, computed once for the plan and the job. */
interface ProjectText {
  templates: TemplateFile[];
  generated: Array<{ path: string; text: string; role: string }>;
  electronVersion: string;
}

/** @returns the project's package.json object. */
export function appPackageJson(s: AppSettings): Record<string, unknown> {
  const v = studioVersions();
  const dist = (p: string) => `node build.mjs && electron-builder --config electron-builder.json --${p}`;
  return {
    name: s.packageName,
    productName: s.name,
    version: s.version,
    description: `${s.name}: runs an ONNX model on images (made with Deploy Studio).`,
    author: { name: `${s.name} authors`, email: s.authorEmail },
    homepage: `https://${appIdDomain(s.appId)}`,
    license: 'UNLICENSED',
    private: true,
    main: 'out/main/main.cjs',
    scripts: {
      build: 'node build.mjs',
      typecheck: 'tsc -p tsconfig.node.json && tsc -p tsconfig.web.json',
      start: 'node build.mjs && electron .',
      dist: dist(s.platform),
      'dist:win': dist('win'),
      'dist:linux': dist('linux'),
      'dist:mac': dist('mac'),
    },
    dependencies: { 'onnxruntime-node': v['onnxruntime-node'], sharp: v.sharp },
    devDependencies: {
      '@types/node': `^${v['@types/node']}`,
      '@types/react': `^${v['@types/react']}`,
      '@types/react-dom': `^${v['@types/react-dom']}`,
      '@vitejs/plugin-react': `^${v['@vitejs/plugin-react']}`,
      electron: v.electron,
      'electron-builder': `^${v['electron-builder']}`,
      esbuild: `^${v.esbuild}`,
      react: `^${v.react}`,
      'react-dom': `^${v['react-dom']}`,
      typescript: `~${v.typescript}`,
      vite: `^${v.vite}`,
    },
    engines: { node: '>=20.19' },
  };
}

function projectText(s: AppSettings, summary: ModelSummary, assets: ModelAssets, studioVersion: string): ProjectText {
  const electronVersion = studioVersions().electron;
  const json = (o: unknown) => jsonText(o, 2) + '\n';
  const builder = appBuilderConfig({ appId: s.appId, productName: s.name, maintainer: s.maintainer, electronVersion });
  return {
    templates: [...templateFiles('model-runner'), ...templateFiles('runtime-core', 'src/core')],
    generated: [
      { path: 'package.json', text: json(appPackageJson(s)), role: 'config' },
      { path: 'electron-builder.json', text: json(builder), role: 'config' },
      { path: 'README.md', text: appReadme(s, summary, assets, electronVersion, studioVersion), role: 'readme' },
      { path: 'model/runner-config.json', text: json(runnerConfig(summary, assets, summary.fileName, 'model.onnx')), role: 'config' },
    ],
    electronVersion,
  };
}

/** @returns the files the project will hold (the plan's list). */
export function planAppProject(s: AppSettings, summary: ModelSummary, model: LoadedModel, assets: ModelAssets, studioVersion: string): PackageFile[] {
  const t = projectText(s, summary, assets, studioVersion);
  const files: PackageFile[] = [
    ...t.templates.map((f) => ({ path: f.target, bytes: f.bytes, role: f.target.startsWith('src/core/') ? 'runner' : 'source' })),
    ...t.generated.map((g) => ({ path: g.path, bytes: Buffer.byteLength(g.text), role: g.role })),
    { path: 'build/icon.png', bytes: s.iconPath ? fs.statSync(s.iconPath).size : null, role: 'icon' },
    { path: 'model/model.onnx', bytes: model.external.size ? null : modelBytes(model), role: 'model' },
  ];
  if (model.external.size) files.push({ path: 'model/model.onnx.data', bytes: model.externalDataBytes, role: 'model' });
  files.push({ path: MARKER_FILE, bytes: null, role: 'marker' });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Writes the project into `dir` (a staging folder the caller commits).
 * @returns the files written
 */
export async function writeAppProject(dir: string, s: AppSettings, summary: ModelSummary, model: LoadedModel, assets: ModelAssets, studioVersion: string, ctx: JobContext): Promise<PackageFile[]> {
  const t = projectText(s, summary, assets, studioVersion);
  ctx.progress(0.02, 'writing sources');
  const files: PackageFile[] = writeTemplateFiles(t.templates, dir, {}).map((f) => ({ ...f, role: f.path.startsWith('src/core/') ? 'runner' : 'source' }));
  for (const g of t.generated) {
    fs.mkdirSync(path.dirname(path.join(dir, g.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, g.path), g.text);
    files.push({ path: g.path, bytes: Buffer.byteLength(g.text), role: g.role });
  }
  ctx.throwIfCancelled();
  ctx.progress(0.05, s.iconPath ? 'copying the icon' : 'drawing the icon');
  const icon = s.iconPath ? fs.readFileSync(s.iconPath) : await defaultIcon(s.name);
  fs.mkdirSync(path.join(dir, 'build'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'build', 'icon.png'), icon);
  files.push({ path: 'build/icon.png', bytes: icon.length, role: 'icon' });
  ctx.progress(0.08, 'copying the model');
  const copied = await copyModel(model, path.join(dir, 'model'), 'model.onnx', 'model', ctx.signal, (f) => ctx.progress(0.08 + 0.9 * f, 'copying the model'));
  files.push(...copied.files.map((f) => ({ ...f, role: 'model' })));
  writeMarker(dir, { format: 'app', model: model.path });
  files.push({ path: MARKER_FILE, bytes: fs.statSync(path.join(dir, MARKER_FILE)).size, role: 'marker' });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
