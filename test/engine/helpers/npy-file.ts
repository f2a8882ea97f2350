/** Writes small `.npy` files for tests (format version 1, little-endian, C order). */
import * as fs from 'node:fs';

const DESCR: Record<string, string> = { float32: '<f4', float64: '<f8', int64: '<i8', int32: '<i4', uint8: '|u1' };

/**
 * Writes an array.
 * @param file - destination
 * @param dtype - float32, float64, int64, int32 or uint8
 * @param shape - its shape
 * @param values - row-major values (zeros when omitted)
 */
export function writeNpy(file: string, dtype: keyof typeof DESCR, shape: number[], values?: ArrayLike<number>): void {
  const n = shape.reduce((a, b) => a * b, 1);
  const Ctor = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array }[dtype as 'float32'];
  const data = dtype === 'int64' ? BigInt64Array.from({ length: n }, (_, i) => BigInt(Math.round(values?.[i] ?? 0))) : Ctor.from({ length: n }, (_, i) => values?.[i] ?? 0);
  let header = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header = header.padEnd(header.length + ((64 - ((10 + header.length + 1) % 64)) % 64), ' ') + '\n';
  const head = Buffer.alloc(10);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  head.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]));
}
