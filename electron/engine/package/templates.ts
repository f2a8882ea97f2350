/** The generated-project templates (`assets/templates/**`): where they are, their files, `{{name}}` substitution. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import { appRoot } from '../host/app-paths';

/** The template sets the studio ships. */
export type TemplateName = 'model-runner' | 'runtime-bundle' | 'runtime-core';

/** Files whose names npm or git would drop from a package; stored without the dot. */
const DOT_NAMES: Record<string, string> = { npmrc: '.npmrc', gitignore: '.gitignore' };

/**
 * The folder holding the templates: `<resources>/assets/templates` in an installed studio, else the source tree's.
 * @remarks `DEPLOY_STUDIO_TEMPLATES` overrides it (tests).
 */
export function templatesRoot(): string {
  const candidates = [
    process.env.DEPLOY_STUDIO_TEMPLATES,
    (process as { resourcesPath?: string }).resourcesPath ? path.join((process as { resourcesPath?: string }).resourcesPath as string, 'assets', 'templates') : undefined,
    path.join(appRoot(), 'assets', 'templates'),
  ];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'runtime-core'))) return c;
  throw new StudioError('FILE_NOT_FOUND', 'The package templates (assets/templates) are missing from this installation: reinstall Deploy Studio.');
}

/** One file of a template: where it comes from and the path it takes in the output. */
export interface TemplateFile {
  source: string;
  /** output path relative to the package, `/` separators, `.tmpl` dropped and dot names restored */
  target: string;
  /** true for `.tmpl` files, whose `{{name}}` fields are filled */
  templated: boolean;
  bytes: number;
}

/**
 * Lists a template's files.
 * @param name - the template set
 * @param prefix - a folder to put them under in the output (`src/core`)
 */
export function templateFiles(name: TemplateName, prefix = ''): TemplateFile[] {
  const root = path.join(templatesRoot(), name);
  const out: TemplateFile[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) {
        const templated = e.name.endsWith('.tmpl');
        const parts = r.split('/');
        const last = parts.pop() as string;
        const base = templated ? last.slice(0, -'.tmpl'.length) : last;
        parts.push(DOT_NAMES[base] ?? base);
        const target = (prefix ? `${prefix}/` : '') + parts.join('/');
        out.push({ source: path.join(root, r), target, templated, bytes: fs.statSync(path.join(root, r)).size });
      }
    }
  };
  walk('');
  return out;
}

/**
 * Fills `{{name}}` fields.
 * @throws Error naming a field the values lack (a template bug, never user input)
 */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g, (_m, key: string) => {
    if (!(key in values)) throw new Error(`template field {{${key}}} has no value`);
    return values[key];
  });
}

/**
 * Copies template files into a folder, filling `.tmpl` files.
 * @returns the files written with their sizes
 */
export function writeTemplateFiles(files: readonly TemplateFile[], dir: string, values: Record<string, string>): Array<{ path: string; bytes: number }> {
  return files.map((f) => {
    const dest = path.join(dir, ...f.target.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (f.templated) {
      const text = fillTemplate(fs.readFileSync(f.source, 'utf8'), values);
      fs.writeFileSync(dest, text);
      return { path: f.target, bytes: Buffer.byteLength(text) };
    }
    fs.copyFileSync(f.source, dest);
    return { path: f.target, bytes: f.bytes };
  });
}
