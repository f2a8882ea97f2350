/** The zip writer: archives that Python's zipfile and Info-ZIP read back byte for byte, CRCs checked. */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles, zipFolder } from './zip-writer';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-zip-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('zipFolder', () => {
  it('writes an archive whose files and CRCs other tools verify', async () => {
    const src = path.join(tmp, 'src');
    fs.mkdirSync(path.join(src, 'lib', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(src, 'run.js'), 'console.log("hi")\n');
    fs.writeFileSync(path.join(src, 'lib', 'deep', 'random.bin'), crypto.randomBytes(3 * 1024 * 1024 + 17));
    fs.writeFileSync(path.join(src, 'lib', 'zeros.bin'), Buffer.alloc(5 * 1024 * 1024));
    fs.writeFileSync(path.join(src, 'empty.txt'), '');
    fs.writeFileSync(path.join(src, 'naïve name.txt'), 'utf-8 name');
    const zip = path.join(tmp, 'out.zip');
    const fractions: number[] = [];
    const size = await zipFolder(src, zip, 'bundle', undefined, (f) => fractions.push(f));
    expect(size).toBe(fs.statSync(zip).size);
    expect(fractions.at(-1)).toBe(1);
    expect(execFileSync('unzip', ['-t', zip]).toString()).toContain('No errors detected');
    const listed = execFileSync('/usr/bin/python3', [
      '-c',
      'import sys, zipfile, hashlib; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; ' +
        '[print(i.filename, hashlib.sha256(z.read(i)).hexdigest()) for i in z.infolist()]',
      zip,
    ])
      .toString()
      .trim()
      .split('\n');
    const expected = listFiles(src).map((f) => `bundle/${f} ${crypto.createHash('sha256').update(fs.readFileSync(path.join(src, f))).digest('hex')}`);
    expect(listed).toEqual(expected);
    expect(fs.statSync(zip).size).toBeLessThan(4 * 1024 * 1024);
  });

  it('stops on cancel and refuses to overwrite an existing archive', async () => {
    const src = path.join(tmp, 'src2');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'a.bin'), crypto.randomBytes(1024));
    const controller = new AbortController();
    controller.abort();
    await expect(zipFolder(src, path.join(tmp, 'c.zip'), 'x', controller.signal)).rejects.toThrow(/cancelled/);
    fs.writeFileSync(path.join(tmp, 'taken.zip'), 'x');
    await expect(zipFolder(src, path.join(tmp, 'taken.zip'), 'x')).rejects.toThrow(/EEXIST/);
  });
});
