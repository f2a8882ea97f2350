/**
 * Default names of what Package makes, from the model's name (its original's file name) and the variant's name, never
 * from a variant's stored file name (which carries a hash): app "Resnet18", folder `resnet18-int8-app`.
 */
import { slugify } from './app-identity';

/** A variant's stored file name ends in `-<12 hex>` (its id), which no default name should carry. */
const VARIANT_ID_SUFFIX = /-[0-9a-f]{12}$/i;

/** @returns the model's name from a file name: without `.onnx` and without a variant id suffix. */
export function modelStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return base.replace(/\.onnx$/i, '').replace(VARIANT_ID_SUFFIX, '') || 'model';
}

/** @returns words of a stem in title case: `resnet18_imagenet` → `Resnet18 Imagenet`. */
function titleCase(stem: string): string {
  return stem
    .replace(/[-_.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\b\w/g, (c) => c.toUpperCase());
}

/**
 * The default display name of a model-runner app.
 * @param modelName - the original's file name or stem (`resnet18.onnx`)
 * @returns `Resnet18`, at most 64 characters
 */
export function defaultAppName(modelName: string): string {
  return titleCase(modelStem(modelName)).slice(0, 64).trim() || 'Model Runner';
}

/**
 * The default folder name of a package.
 * @param modelName - the original's file name or stem
 * @param variantName - the variant's name, or null for the original
 * @param kind - `app` or `bundle`
 * @returns `resnet18-app`, `resnet18-int8-static-bundle` (no hash)
 */
export function defaultPackageFolder(modelName: string, variantName: string | null, kind: 'app' | 'bundle'): string {
  const variant = variantName && variantName !== 'original' ? `-${variantName}` : '';
  return `${slugify(`${modelStem(modelName)}${variant}`)}-${kind}`;
}
