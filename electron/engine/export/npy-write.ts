/** Writes float32 arrays as .npy files (version 1.0, little-endian, C order): the exchange format with the checker. */
import * as fs from 'node:fs';

/**
 * Writes a float32 .npy file.
 * @param file - the destination
 * @param shape - the array's shape
 * @param data - its values in row-major order
 */
export function writeNpyF32(file: string, shape: readonly number[], data: Float32Array): void {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}
