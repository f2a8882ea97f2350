/** Unit tests of row access to .npy files: the header comes from the runtime's .npy reader, rows are read alone. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openNpy, readRows } from './npy-rows';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-rows-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a version-1 .npy file. */
function write(name: string, descr: string, shape: number[], data: Uint8Array, fortran = false): string {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header = header.padEnd(header.length + ((64 - ((10 + header.length + 1) % 64)) % 64), ' ') + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), data]));
  return file;
}

describe('npy rows', () => {
  it('reads the rows asked for, swapping big-endian data', async () => {
    const be = Buffer.alloc(6 * 4);
    for (let i = 0; i < 6; i++) be.writeFloatBE(i + 0.5, i * 4);
    const npy = openNpy(write('be.npy', '>f4', [3, 2], be));
    expect(npy).toMatchObject({ dtype: 'float32', shape: [3, 2], bigEndian: true, rowBytes: 8 });
    const rows = await readRows(npy, 1, 2);
    expect(rows.dims).toEqual([2, 2]);
    expect([...(rows.data as Float32Array)]).toEqual([2.5, 3.5, 4.5, 5.5]);
  });

  it('refuses Fortran order, scalars and files shorter than their header says', () => {
    expect(() => openNpy(write('f.npy', '<f4', [2, 2], Buffer.alloc(16), true))).toThrow(/Fortran order/);
    expect(() => openNpy(write('s.npy', '<f4', [], Buffer.alloc(4)))).toThrow(/no first axis/);
    expect(() => openNpy(write('short.npy', '<f4', [4, 2], Buffer.alloc(8)))).toThrow(/data is cut short/);
    const junk = path.join(dir, 'junk.npy');
    fs.writeFileSync(junk, 'not numpy');
    expect(() => openNpy(junk)).toThrow(/numpy magic bytes/);
  });
});
