/** Markdown sections shared by the generated READMEs: the model's inputs and outputs, its preprocessing, its labels. */
import type { ModelSummary, TensorInfo } from '../../../shared/api/model-summary';
import { markdownCode, markdownText } from '../../../shared/security/untrusted-text';
import type { ModelAssets } from './model-assets';

const shape = (t: TensorInfo) => (t.shape ? `[${t.shape.map((d) => (d === null ? '?' : markdownText(String(d)))).join(', ')}]` : '(unknown)');

/** @returns the inputs and outputs as Markdown tables. */
export function ioSection(summary: ModelSummary, assets: ModelAssets): string {
  const rows = (ts: TensorInfo[], role: (t: TensorInfo) => string) => ts.map((t) => `| ${markdownCode(t.name)} | ${t.dtype} | ${shape(t)} | ${role(t)} |`);
  return [
    '## Inputs',
    '',
    '| name | type | shape | fed with |',
    '| --- | --- | --- | --- |',
    ...rows(summary.inputs, (t) => (t.name === assets.imageInput?.name ? 'an image, preprocessed as below' : '`.npy` array')),
    '',
    'Symbolic dims (names or `?`) take the size of the data you give; the runners use a batch of 1.',
    '',
    '## Outputs',
    '',
    '| name | type | shape | meaning |',
    '| --- | --- | --- | --- |',
    ...rows(summary.outputs, (t) => (t.name === assets.classifierOutput?.name && assets.labels ? `scores of ${assets.labels.length} classes (softmax applied for the ranking when they are logits)` : 'raw values')),
  ].join('\n');
}

/** @returns the preprocessing as a Markdown list (or why there is none). */
export function preprocessSection(assets: ModelAssets): string {
  const p = assets.preprocess;
  if (!p) return '## Preprocessing\n\nNone: the model has no image input, so the runners take `.npy` arrays.';
  const r = p.resize;
  const lines = [
    '## Preprocessing',
    '',
    assets.preprocessDerived
      ? 'No `preprocess.json` came with the model, so (like Deploy Studio) the runner reads the config off the input shape:'
      : 'The same steps as Deploy Studio (`runner-config.json` → `preprocess`), in this order:',
    '',
    '1. decode with sharp (PNG, JPEG, WebP, GIF, TIFF, AVIF), turn by the EXIF orientation, flatten transparency onto black;',
    `2. convert to ${p.channels === 'grayscale' ? 'one grey channel' : p.channels === 'bgr' ? 'sRGB, then order the channels B, G, R' : 'sRGB (R, G, B)'};`,
    r
      ? `3. resize to ${r.width}×${r.height} (${{ stretch: 'stretched to fill', cover: 'scaled to cover, then centre-cropped', contain: 'scaled to fit, padded with black', shorter: 'shorter side scaled, aspect kept' }[r.mode]}, lanczos3);`
      : '3. no resize (images must already have the model\'s size);',
    p.crop ? `4. centre-crop to ${p.crop.width}×${p.crop.height};` : '4. no crop;',
    `5. value = (pixel / ${p.scale} − mean) / std with mean = [${(p.mean ?? [0]).join(', ')}] and std = [${(p.std ?? [1]).join(', ')}];`,
    `6. lay out as ${p.layout} with a batch of 1.`,
  ];
  return lines.join('\n');
}

/** @returns the labels as a short Markdown paragraph. */
export function labelsSection(assets: ModelAssets): string {
  if (!assets.labels) return '';
  const shown = assets.labels.slice(0, 20).map((l, i) => `${i}: ${markdownText(l)}`).join(', ');
  return `## Labels\n\n${assets.labels.length} classes, in \`runner-config.json\` → \`labels\`: ${shown}${assets.labels.length > 20 ? ', …' : ''}.`;
}
