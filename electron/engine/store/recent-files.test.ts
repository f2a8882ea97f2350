/** RecentFiles: the list is right at once, reaches the disk in order, and survives a read-only data folder. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecentFiles } from './recent-files';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-recent-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('RecentFiles', () => {
  it('answers from memory while writing, then from the file', async () => {
    const dir = tempDir();
    const recent = new RecentFiles(dir);
    recent.add('/m/a.onnx');
    recent.add('/m/b.onnx');
    recent.add('/m/a.onnx');
    expect(recent.list().map((r) => r.path)).toEqual(['/m/a.onnx', '/m/b.onnx']);
    await recent.flushed();
    expect(new RecentFiles(dir).list().map((r) => r.path)).toEqual(['/m/a.onnx', '/m/b.onnx']);
    expect(fs.readdirSync(dir)).toEqual(['recent.json']);
    expect(recent.clear()).toBe(2);
    expect(recent.list()).toEqual([]);
    await recent.flushed();
    expect(new RecentFiles(dir).list()).toEqual([]);
  });

  it('keeps working when the data folder cannot be written', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const recent = new RecentFiles(file);
    recent.add('/m/a.onnx');
    await recent.flushed();
    expect(recent.list()).toEqual([]);
  });
});
