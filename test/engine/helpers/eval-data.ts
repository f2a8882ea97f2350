/** Test helpers for evaluation: an independent sample preprocessing and accuracy count (onnxruntime directly), .npy writing. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';

export const SAMPLE_DIR = path.resolve(__dirname, '..', '..', '..', 'assets/samples/fashion-mnist');
export const SAMPLE_IMAGES = path.join(SAMPLE_DIR, 'images');

/** The sample's preprocessing written out by hand: grayscale 28×28, (x / 255 − 0.286) / 0.353, NCHW. */
export async function sampleImageTensor(file: string): Promise<Float32Array> {
  const { data, info } = await sharp(file).grayscale().resize(28, 28, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one channel, got ${info.channels}`);
  return Float32Array.from(data, (v) => (v / 255 - 0.286) / 0.353);
}

/** Every sample image with its class index from classes.json, sorted like the dataset reader sorts them. */
export function sampleItems(root = SAMPLE_IMAGES): Array<{ file: string; label: number; id: string }> {
  const classes = JSON.parse(fs.readFileSync(path.join(SAMPLE_DIR, 'classes.json'), 'utf8')) as Record<string, number>;
  const out: Array<{ file: string; label: number; id: string }> = [];
  for (const folder of fs.readdirSync(root).sort()) {
    if (classes[folder] === undefined) continue;
    for (const f of fs.readdirSync(path.join(root, folder)).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))) {
      if (f.endsWith('.png')) out.push({ file: path.join(root, folder, f), label: classes[folder], id: `${folder}/${f}` });
    }
  }
  return out;
}

/**
 * Counts top-1 and top-5 hits of a model on the sample images with onnxruntime-node directly (one image a run).
 * @returns correct counts, the number of images, and each item's predicted class
 */
export async function independentCount(modelPath: string, items = sampleItems()): Promise<{ top1: number; top5: number; n: number; predictions: number[]; logits: Float32Array[] }> {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
  let top1 = 0;
  let top5 = 0;
  const predictions: number[] = [];
  const logits: Float32Array[] = [];
  try {
    for (const item of items) {
      const x = await sampleImageTensor(item.file);
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [1, 1, 28, 28]) });
      const scores = Float32Array.from(out[session.outputNames[0]].data as Float32Array);
      logits.push(scores);
      const order = [...scores.keys()].sort((a, b) => scores[b] - scores[a] || a - b);
      predictions.push(order[0]);
      if (order[0] === item.label) top1++;
      if (order.slice(0, 5).includes(item.label)) top5++;
    }
  } finally {
    await session.release();
  }
  return { top1, top5, n: items.length, predictions, logits };
}

/** Writes a float32 or int64 array as a `.npy` file (format 1.0, C order). */
export function writeNpy(file: string, shape: number[], data: Float32Array | BigInt64Array): void {
  const descr = data instanceof Float32Array ? '<f4' : '<i8';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = header + ' '.repeat(pad % 64) + '\n';
  const head = Buffer.alloc(10);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  head.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}
