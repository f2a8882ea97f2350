/** `deploy-studio targets` and `check` through the real CLI: JSON shapes, refused user profiles, exit codes. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generated, ROOT, SAMPLE } from './fixtures';

const CLI = path.join(ROOT, 'bin', 'deploy-studio.cjs');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-targets-cli-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: dataDir }, timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('targets and check verbs', () => {
  it('lists the profiles and names the field of a refused user profile', () => {
    fs.mkdirSync(path.join(dataDir, 'profiles'), { recursive: true });
    const pi = JSON.parse(fs.readFileSync(path.join(ROOT, 'assets/profiles/raspberry-pi-5.json'), 'utf8'));
    fs.writeFileSync(path.join(dataDir, 'profiles', 'broken.json'), JSON.stringify({ ...pi, id: 'broken', peakGops: { fp32: 'fast' } }));
    const r = cli('targets', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out);
    expect(list.targets.length).toBeGreaterThanOrEqual(9);
    expect(list.targets[0].profile.id).toBe('host');
    expect(list.invalid[0].message).toContain('peakGops.fp32');
    const text = cli('targets');
    expect(text.out).toMatch(/raspberry-pi-5\s+edge-arm-cpu/);
    expect(text.out).toContain('refused: broken.json');
  });

  it('checks a model against a target and prints findings and estimates as JSON', () => {
    const r = cli('check', SAMPLE, '--target', 'browser-webgpu', '--json');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out);
    expect(c.target.id).toBe('browser-webgpu');
    expect(c.latency.ms).toBeGreaterThan(0);
    expect(c.latency.highMs).toBeCloseTo(c.latency.ms * 3, 6);
    expect(c.memory.totalBytes).toBeGreaterThan(0);
    expect(c.assignment[0].ep).toBe('webgpu');
  });

  it('exits 3 when the model cannot run there, and 2 with a clear message for an unknown target', () => {
    fs.writeFileSync(
      path.join(dataDir, 'profiles', 'tiny.json'),
      JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(ROOT, 'assets/profiles/raspberry-pi-5.json'), 'utf8')), id: 'tiny', memoryBudgetBytes: 1_000_000 }),
    );
    const over = cli('check', generated('resnet18.onnx'), '--target', 'tiny');
    expect(over.code).toBe(3);
    expect(over.out).toContain('NOT compatible');
    expect(over.out).toMatch(/ERROR\s+Needs more memory/);
    const unknown = cli('check', SAMPLE, '--target', 'no-such-board', '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.out).error.message).toMatch(/no target profile "no-such-board"/);
  });
});
