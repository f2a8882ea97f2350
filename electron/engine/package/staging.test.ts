/** Atomic output folders: nothing at the destination until commit, nothing left after a failure, safe replacement. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDestination, MARKER_FILE, startStaging, withStaging } from './staging';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-staging-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const entries = (dir: string) => fs.readdirSync(dir).sort();

describe('staging', () => {
  it('shows the folder and its sibling zip only after commit', async () => {
    const dest = path.join(tmp, 'a', 'bundle');
    const zip = `${dest}.zip`;
    await withStaging(dest, async (st) => {
      fs.writeFileSync(path.join(st.dir, 'run.js'), 'x');
      fs.writeFileSync(st.sibling(zip), 'zip');
      expect(fs.existsSync(dest)).toBe(false);
      expect(fs.existsSync(zip)).toBe(false);
    });
    expect(entries(path.join(tmp, 'a'))).toEqual(['bundle', 'bundle.zip']);
    expect(entries(dest)).toEqual(['run.js']);
  });

  it('leaves nothing behind when the body fails', async () => {
    const dest = path.join(tmp, 'b', 'out');
    await expect(
      withStaging(dest, async (st) => {
        fs.writeFileSync(path.join(st.dir, 'half'), 'x');
        fs.writeFileSync(st.sibling(`${dest}.zip`), 'x');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(entries(path.join(tmp, 'b'))).toEqual([]);
  });

  it('replaces an earlier output only when allowed and only if the studio wrote it', () => {
    const dest = path.join(tmp, 'c');
    fs.mkdirSync(dest);
    expect(checkDestination(dest, [], false)).toBe(true);
    fs.writeFileSync(path.join(dest, 'notes.txt'), 'mine');
    expect(() => checkDestination(dest, [], false)).toThrow(/already exists/);
    expect(() => checkDestination(dest, [], true)).toThrow(/not written by Deploy Studio/);
    fs.writeFileSync(path.join(dest, MARKER_FILE), '{}');
    expect(checkDestination(dest, [], true)).toBe(true);
    const st = startStaging(dest);
    fs.writeFileSync(path.join(st.dir, 'new.txt'), 'new');
    st.commit();
    expect(entries(dest)).toEqual(['new.txt']);
    expect(entries(tmp).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it('never writes over the inputs or a drive root', () => {
    const model = path.join(tmp, 'models', 'm.onnx');
    expect(() => checkDestination(path.join(tmp, 'models'), [model], true)).toThrow(/holds m\.onnx/);
    expect(() => checkDestination(tmp, [model], true)).toThrow(/holds m\.onnx/);
    expect(() => checkDestination(path.parse(tmp).root, [], true)).toThrow(/drive root/);
  });
});
