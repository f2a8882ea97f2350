/** The app's icon: a user PNG checked for installers (square, ≥ 256×256), or a generated default drawn from the name. */
import * as crypto from 'node:crypto';
import sharp from 'sharp';
import type { FieldIssue } from '../../../shared/package/app-identity';

/** The smallest icon electron-builder turns into .ico and .icns. */
export const MIN_ICON_SIDE = 256;

/**
 * Checks an icon file.
 * @returns problems (errors block packaging) and the size when readable
 */
export async function checkIcon(file: string): Promise<{ issues: FieldIssue[]; width?: number; height?: number }> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    meta = await sharp(file).metadata();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || /missing|not exist/i.test((err as Error).message) ? 'does not exist' : 'is not an image sharp can read';
    return { issues: [{ field: 'iconPath', severity: 'error', message: `The icon ${file} ${why}: give a PNG of at least ${MIN_ICON_SIDE}×${MIN_ICON_SIDE} pixels, or leave it empty for a generated icon.` }] };
  }
  const { width = 0, height = 0, format } = meta;
  const issues: FieldIssue[] = [];
  if (format !== 'png') issues.push({ field: 'iconPath', severity: 'error', message: `The icon is a ${format ?? 'unknown'} image: installers need a PNG (convert it, for example with an image editor).` });
  else if (width !== height) issues.push({ field: 'iconPath', severity: 'error', message: `The icon is ${width}×${height}: it must be square (macOS icons cannot be built from other shapes).` });
  else if (width < MIN_ICON_SIDE) issues.push({ field: 'iconPath', severity: 'error', message: `The icon is ${width}×${height}: it must be at least ${MIN_ICON_SIDE}×${MIN_ICON_SIDE} pixels.` });
  else if (width < 512) issues.push({ field: 'iconPath', severity: 'warning', message: `The icon is ${width}×${height}: 512×512 or larger looks sharp on macOS and high-DPI screens.` });
  return { issues, width, height };
}

/** @returns a hue (0–359) derived from the name, so each app gets its own colour. */
function hueOf(name: string): number {
  return crypto.createHash('sha256').update(name).digest().readUInt16BE(0) % 360;
}

/**
 * Draws the default icon: a rounded square in a colour taken from the name, with a small layered-network glyph.
 * @returns a 1024×1024 PNG
 */
export async function defaultIcon(name: string): Promise<Buffer> {
  const h = hueOf(name);
  const layers = [
    [300, 512, 724],
    [400, 624],
    [512],
  ];
  const xs = [300, 512, 724];
  const nodes: Array<[number, number]> = [];
  layers.forEach((ys, i) => ys.forEach((y) => nodes.push([xs[i], y])));
  const edges: string[] = [];
  for (let i = 0; i < layers.length - 1; i++) {
    for (const y0 of layers[i]) for (const y1 of layers[i + 1]) edges.push(`<line x1="${xs[i]}" y1="${y0}" x2="${xs[i + 1]}" y2="${y1}"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${h},62%,52%)"/><stop offset="1" stop-color="hsl(${(h + 40) % 360},64%,34%)"/>
  </linearGradient></defs>
  <rect x="64" y="64" width="896" height="896" rx="200" fill="url(#g)"/>
  <g stroke="rgba(255,255,255,0.55)" stroke-width="18" stroke-linecap="round">${edges.join('')}</g>
  <g fill="#ffffff">${nodes.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="54"/>`).join('')}</g>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
