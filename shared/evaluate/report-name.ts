/** Names of comparison reports: after the model they compare (`resnet18-comparison.html`), never after a variant. */

/**
 * @returns the model's name from its file name: the last path part without `.onnx` (and without an upload's
 * `upload-<hex>-` prefix), or `model` when nothing is left
 */
export function modelNameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.onnx$/i, '').replace(/^upload-[0-9a-f]{6,}-/i, '').trim();
  return stem || 'model';
}

/** @returns a file-name-safe report name, e.g. `resnet18-comparison.html`. */
export function reportFileName(modelName: string, format: string): string {
  const safe = modelName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'model';
  return `${safe}-comparison.${format}`;
}
