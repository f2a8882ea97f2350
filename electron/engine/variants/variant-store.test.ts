/** The variant store's startup sweep: temp files a killed engine left behind go, everything else stays. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepStaleTemps, VariantStore } from './variant-store';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-variant-sweep-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('sweepStaleTemps', () => {
  it('removes save temps of dead writers and old index temps, keeps live writers, fresh temps and real files', () => {
    const family = path.join(dataDir, 'variants', 'abc123');
    fs.mkdirSync(family, { recursive: true });
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const file = (name: string) => {
      const p = path.join(family, name);
      fs.writeFileSync(p, 'x');
      return p;
    };
    const dead = file(`.q-1a2b3c.onnx.${deadPid}-0badcafe.tmp`);
    const deadSide = file(`.q-1a2b3c.onnx.data.${deadPid}-0badcafe.tmp`);
    const live = file(`.q-4d5e6f.onnx.${process.pid}-0badcafe.tmp`);
    const model = file('q-1a2b3c.onnx');
    const oldIndex = path.join(dataDir, 'variants', '.index.json.0123456789ab.tmp');
    fs.writeFileSync(oldIndex, '{');
    const past = new Date(Date.now() - 24 * 3600 * 1000);
    fs.utimesSync(oldIndex, past, past);
    const freshIndex = path.join(dataDir, 'variants', '.index.json.ba9876543210.tmp');
    fs.writeFileSync(freshIndex, '{');

    new VariantStore(dataDir);
    for (const p of [dead, deadSide, oldIndex]) expect(fs.existsSync(p)).toBe(false);
    for (const p of [live, model, freshIndex]) expect(fs.existsSync(p)).toBe(true);
    expect(sweepStaleTemps(path.join(dataDir, 'variants'))).toEqual([]);
  });

  it('does nothing for a variants folder that does not exist yet', () => {
    expect(sweepStaleTemps(path.join(dataDir, 'missing'))).toEqual([]);
  });
});
