/** Unit tests of the .npy/.npz, JSON and random input readers. */
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { npyDataOffset, parseNpy, parseNpyHeader } from './npy';
import { parseNpz } from './npz';
import { randomTensor } from './random';
import { parseJsonTensor } from './tensor-files';

/** Builds a version-1 .npy file. */
function npy(descr: string, shape: number[], data: Uint8Array, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header = header.padEnd(header.length + ((64 - (total % 64)) % 64), ' ') + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** Builds a zip with the given entries (deflated when `deflate`). */
function zip(entries: Array<{ name: string; data: Uint8Array }>, deflate: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const body = deflate ? zlib.deflateRawSync(e.data) : e.data;
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(8, deflate ? 8 : 0, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, e.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(10, deflate ? 8 : 0, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, e.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, body);
    central.push(cd);
    offset += local.length + body.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return Buffer.concat([...parts, ...central, eocd]);
}

const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

describe('npy', () => {
  it('reads little-endian float32 in C order', () => {
    const t = parseNpy(npy('<f4', [2, 3], f32([1, 2, 3, 4, 5, 6])), 'a.npy');
    expect(t.dtype).toBe('float32');
    expect(t.dims).toEqual([2, 3]);
    expect([...(t.data as Float32Array)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reorders Fortran-order arrays to C order', () => {
    // column-major storage of [[1, 2, 3], [4, 5, 6]]
    const t = parseNpy(npy('<f4', [2, 3], f32([1, 4, 2, 5, 3, 6]), true), 'f.npy');
    expect([...(t.data as Float32Array)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('swaps big-endian data and reads int64 and bool', () => {
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat64(0, 2.5, false);
    expect([...(parseNpy(npy('>f8', [1], be), 'be.npy').data as Float64Array)]).toEqual([2.5]);
    const i64 = parseNpy(npy('<i8', [2], new Uint8Array(new BigInt64Array([7n, -3n]).buffer)), 'i.npy');
    expect(i64.dtype).toBe('int64');
    expect([...(i64.data as BigInt64Array)]).toEqual([7n, -3n]);
    expect(parseNpy(npy('|b1', [3], new Uint8Array([1, 0, 1])), 'b.npy').dtype).toBe('bool');
  });

  it('parses a header alone, from the first bytes of a file', () => {
    const file = npy('>i2', [4, 2], new Uint8Array(16));
    const end = npyDataOffset(file.subarray(0, 12), 'h.npy');
    expect(end % 64).toBe(0);
    expect(parseNpyHeader(file.subarray(0, end), 'h.npy')).toEqual({ dtype: 'int16', shape: [4, 2], fortran: false, bigEndian: true, elementBytes: 2, dataOffset: end });
    expect(() => parseNpyHeader(file.subarray(0, end - 1), 'h.npy')).toThrow(/header is cut short/);
  });

  it('refuses other files, object arrays and short data with a clear message', () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'x.npy')).toThrow(/x.npy is not a readable .npy array/);
    expect(() => parseNpy(npy('|O', [1], new Uint8Array(8)), 'o.npy')).toThrow(/numpy dtype "\|O"/);
    expect(() => parseNpy(npy('<f4', [4], f32([1, 2])), 's.npy')).toThrow(/cut short/);
  });
});

describe('npz', () => {
  for (const deflate of [false, true]) {
    it(`reads ${deflate ? 'deflated' : 'stored'} archives by array name`, () => {
      const arrays = parseNpz(
        zip(
          [
            { name: 'input.npy', data: npy('<f4', [1, 2], f32([0.5, 1.5])) },
            { name: 'mask.npy', data: npy('<i8', [1], new Uint8Array(new BigInt64Array([1n]).buffer)) },
          ],
          deflate,
        ),
        'd.npz',
      );
      expect([...arrays.keys()]).toEqual(['input', 'mask']);
      expect([...(arrays.get('input')?.data as Float32Array)]).toEqual([0.5, 1.5]);
    });
  }

  it('refuses a file that is not a zip', () => {
    expect(() => parseNpz(new Uint8Array(100), 'n.npz')).toThrow(/n.npz is not a readable .npz archive/);
  });
});

describe('JSON tensors', () => {
  it('reads nested arrays and {dims, data}, converting to the input dtype', () => {
    const t = parseJsonTensor('[[1, 2], [3, 4]]', 'a.json', 'x', 'float32');
    expect(t.dims).toEqual([2, 2]);
    const d = parseJsonTensor('{"dims": [1, 3], "data": [1, 2, 3]}', 'b.json', 'x', 'int64');
    expect([...(d.data as BigInt64Array)]).toEqual([1n, 2n, 3n]);
    const keyed = parseJsonTensor('{"x": [1, 2, 3]}', 'c.json', 'x', 'float32');
    expect(keyed.dims).toEqual([3]);
  });

  it('names the problem for ragged arrays and fractional integers', () => {
    expect(() => parseJsonTensor('[[1, 2], [3]]', 'r.json', 'x', 'float32')).toThrow(/not rectangular/);
    expect(() => parseJsonTensor('[1.5]', 'i.json', 'ids', 'int64')).toThrow(/expects int64 values, but element 0 is 1.5/);
  });
});

describe('random inputs', () => {
  it('are the same for the same seed and stay in range', () => {
    const a = randomTensor('float32', [100], { seed: 3, name: 'x' });
    const b = randomTensor('float32', [100], { seed: 3, name: 'x' });
    expect([...(a.data as Float32Array)]).toEqual([...(b.data as Float32Array)]);
    expect([...(a.data as Float32Array)].every((v) => v >= -1 && v < 1)).toBe(true);
    const u8 = randomTensor('uint8', [1000], { seed: 1, name: 'img' }).data as Uint8Array;
    expect(Math.max(...u8)).toBeGreaterThan(200);
    const mask = randomTensor('int64', [4], { seed: 1, name: 'attention_mask' }).data as BigInt64Array;
    expect([...mask]).toEqual([1n, 1n, 1n, 1n]);
  });
});
