/** Debian's dataset-fashion-mnist for tests: IDX files read in TypeScript, preprocessed like the sample model expects. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { writeNpy } from './npy-file';

export const FASHION = '/usr/share/datasets/fashion-mnist';
export const HAVE_FASHION = fs.existsSync(path.join(FASHION, 'train-images-idx3-ubyte.gz'));

/** Reads an IDX file (gzipped): images as N × 784 bytes, or N labels. */
export function readIdx(name: string): { count: number; data: Uint8Array } {
  const buf = zlib.gunzipSync(fs.readFileSync(path.join(FASHION, name)));
  const magic = buf.readUInt32BE(0);
  const offset = magic === 2051 ? 16 : 8;
  return { count: buf.readUInt32BE(4), data: new Uint8Array(buf.buffer, buf.byteOffset + offset, buf.length - offset) };
}

/** The sample's preprocessing: (x / 255 − 0.286) / 0.353. */
export function normalize(pixels: Uint8Array): Float32Array {
  return Float32Array.from(pixels, (v) => (v / 255 - 0.286) / 0.353);
}

/**
 * Writes every 100th training image (600 images of the training split, none a test image) as a model-ready `.npy`.
 * @returns its path
 */
export function trainCalibrationNpy(dir: string): string {
  const train = readIdx('train-images-idx3-ubyte.gz');
  const picked = new Uint8Array(600 * 784);
  for (let k = 0; k < 600; k++) picked.set(train.data.subarray(k * 100 * 784, (k * 100 + 1) * 784), k * 784);
  const file = path.join(dir, 'fashion-train-600.npy');
  writeNpy(file, 'float32', [600, 1, 28, 28], normalize(picked));
  return file;
}
