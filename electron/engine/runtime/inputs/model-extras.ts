/** Files that may sit beside a model: `preprocess.json`, `labels.txt` and an `images/` folder of sample images. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import { PreprocessConfigSchema, type PreprocessConfig } from '../../../../shared/api/preprocess';

/** File extensions read as images. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif'];

/** @returns true for a file name with an image extension. */
export function isImageFile(file: string): boolean {
  return IMAGE_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/**
 * Reads and checks a preprocessing config.
 * @throws StudioError `INVALID_INPUT` naming the bad field
 */
export function readPreprocessConfig(file: string): PreprocessConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StudioError('INVALID_INPUT', `${file} cannot be read as JSON (${(err as Error).message}).`);
  }
  const parsed = PreprocessConfigSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the config';
    throw new StudioError('INVALID_INPUT', `${file} is not a valid preprocessing config: ${where}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}

/**
 * Reads a labels file: one class name per line (blank trailing lines dropped).
 * @throws StudioError `FILE_NOT_FOUND` / `FILE_UNREADABLE`
 */
export function readLabels(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StudioError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `The labels file ${file} cannot be read (${code ?? 'error'}).`);
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** What was found beside a model. */
export interface ModelExtras {
  preprocess: PreprocessConfig | null;
  preprocessPath: string | null;
  /** why a `preprocess.json` found there could not be used */
  preprocessError: string | null;
  labels: string[] | null;
  labelsPath: string | null;
  imagesDir: string | null;
}

/**
 * Looks for `preprocess.json`, `labels.txt` and `images/` in the model's folder.
 * @param modelPath - the model file
 */
export function findModelExtras(modelPath: string): ModelExtras {
  const dir = path.dirname(modelPath);
  const out: ModelExtras = { preprocess: null, preprocessPath: null, preprocessError: null, labels: null, labelsPath: null, imagesDir: null };
  const pre = path.join(dir, 'preprocess.json');
  if (fs.existsSync(pre)) {
    out.preprocessPath = pre;
    try {
      out.preprocess = readPreprocessConfig(pre);
    } catch (err) {
      out.preprocessError = (err as Error).message;
    }
  }
  const labels = path.join(dir, 'labels.txt');
  if (fs.existsSync(labels)) {
    try {
      out.labels = readLabels(labels);
      out.labelsPath = labels;
    } catch {
      // an unreadable labels file is the same as none
    }
  }
  const images = path.join(dir, 'images');
  if (fs.existsSync(images) && fs.statSync(images).isDirectory()) out.imagesDir = images;
  return out;
}

/**
 * Lists sample images: `images/<class>/<file>` or `images/<file>`, sorted, at most `limit`.
 * @returns absolute paths with the class folder name (or null)
 */
export function listImages(imagesDir: string, limit = 200): Array<{ path: string; className: string | null }> {
  const out: Array<{ path: string; className: string | null }> = [];
  const entries = fs.readdirSync(imagesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (out.length >= limit) break;
    const p = path.join(imagesDir, e.name);
    if (e.isFile() && isImageFile(e.name)) out.push({ path: p, className: null });
    else if (e.isDirectory()) {
      const files = fs
        .readdirSync(p)
        .filter(isImageFile)
        .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      for (const f of files) if (out.length < limit) out.push({ path: path.join(p, f), className: e.name });
    }
  }
  return out;
}
