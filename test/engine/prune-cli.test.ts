/** `deploy-studio prune`: the JSON fields on the sample, human output, and clear errors for bad input. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, SAMPLE } from './fixtures';

const CLI = path.join(ROOT, 'out', 'cli', 'cli.cjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-prune-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: tmp } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as Record<string, unknown> };
}

const IMAGES = path.join(path.dirname(SAMPLE), 'images');

describe('deploy-studio prune', () => {
  it('prints the channel report as JSON', () => {
    const out = path.join(tmp, 'channels.onnx');
    const r = cli('prune', SAMPLE, '-o', out, '--method', 'channel', '--sparsity', '30%', '--calibration', IMAGES, '--recover', '--criterion', 'l1', '--round-to', '1', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = r.json();
    for (const k of ['paramsBefore', 'paramsAfter', 'macsBefore', 'macsAfter', 'macsSource', 'removedChannels', 'blocked', 'error', 'recovery', 'layers', 'groups', 'warnings']) {
      expect(j).toHaveProperty(k);
    }
    expect(j.rounding).toMatchObject({ multiple: 1, from: 'user' });
    expect(j.removedChannels).toMatchObject({ '/conv1/Conv': 5, '/conv2/Conv': 10, '/conv3/Conv': 19, '/fc1/Gemm': 38, '/fc2/Gemm': 0 });
    expect(j.macsAfter as number).toBeLessThan(j.macsBefore as number);
    expect((j.error as { after?: unknown }).after).toBeDefined();
    expect(fs.existsSync(out)).toBe(true);
  });

  it("rounds kept channels to the host's channel multiple by default and says where it came from", () => {
    const r = cli('prune', SAMPLE, '-o', path.join(tmp, 'rounded.onnx'), '--sparsity', '50%');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/kept channel counts rounded to multiples of \d+ for [^:]+: (\d+ → \d+, )*\d+ → \d+ channels/);
    expect(r.stdout).toMatch(/the multiple: target "host": .*(measured on this host|from the ISA)/);
  });

  it('prints the magnitude report for people, with the compressed sizes', () => {
    const r = cli('prune', SAMPLE, '-o', path.join(tmp, 'sparse.onnx'), '--method', 'magnitude', '--nm', '2:4');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/compressed .* → .*deflate/);
    expect(r.stdout).toMatch(/not in dense kernels/);
  });

  it.each([
    [['--method', 'blocks'], /--method takes "channel" or "magnitude"/],
    [['--recover'], /give calibration data/],
    [['--method', 'magnitude', '--nm', '4:2'], /N:M pattern "4:2"/],
    [['--sparsity', '150%'], /option sparsity/],
    [['--calibration', '/no/such/folder', '--recover'], /does not exist/],
    [['--target', 'no-such-target'], /There is no target profile "no-such-target"/],
  ])('refuses %j with a clear message and exit code 2', (args, message) => {
    const r = cli('prune', SAMPLE, '-o', path.join(tmp, 'bad.onnx'), ...(args as string[]), '--json');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.json()).toHaveProperty('error.code');
  });

  it('never writes over the input model', () => {
    const r = cli('prune', SAMPLE, '-o', SAMPLE);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/overwrite the input/);
  });
});
