/** The stored int8 format table is used only on the CPU and onnxruntime it was measured with. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHostInt8Table } from './host-int8-formats';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-int8-table-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'host-int8-formats.json');
const table = {
  kind: 'deploy-studio-int8-formats',
  version: 1,
  cpuModel: 'AMD EPYC',
  simd: ['avx512f', 'avx512_vnni'],
  onnxruntimeVersion: '1.30.0',
  threads: 2,
  measuredAt: '2025-12-05T22:00:00.000Z',
  models: [{ model: 'resnet18', floatP50Ms: 100, rows: [{ format: 'u8s8', reduceRange: false, perChannel: true, p50Ms: 37, speedup: 2.7 }] }],
};

describe('readHostInt8Table', () => {
  it('reads a table measured on this CPU and onnxruntime', () => {
    fs.writeFileSync(file, JSON.stringify(table));
    expect(readHostInt8Table({ cpuModel: 'AMD EPYC', onnxruntimeVersion: '1.30.0' }, file).table?.models[0].rows[0].speedup).toBe(2.7);
  });

  it('ignores a table from another CPU or onnxruntime, and says so', () => {
    fs.writeFileSync(file, JSON.stringify(table));
    const other = readHostInt8Table({ cpuModel: 'Intel Xeon', onnxruntimeVersion: '1.30.0' }, file);
    expect(other.table).toBeUndefined();
    expect(other.why).toMatch(/measured on AMD EPYC with onnxruntime 1\.30\.0, not this Intel Xeon/);
    expect(readHostInt8Table({ cpuModel: 'AMD EPYC', onnxruntimeVersion: '1.31.0' }, file).table).toBeUndefined();
  });

  it('says how to measure when there is no table, and refuses a file that is not one', () => {
    expect(readHostInt8Table({ cpuModel: 'AMD EPYC', onnxruntimeVersion: '1.30.0' }, path.join(dir, 'none.json')).why).toMatch(/npm run bench -- int8-formats/);
    fs.writeFileSync(file, JSON.stringify({ ...table, kind: 'something' }));
    expect(readHostInt8Table({ cpuModel: 'AMD EPYC', onnxruntimeVersion: '1.30.0' }, file).why).toMatch(/is not an int8 format table/);
  });
});
