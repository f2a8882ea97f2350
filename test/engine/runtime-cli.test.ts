/** Engine tests of `deploy-studio run` and `bench`: the JSON keys on real models, profiles, and clear input errors. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generated, ROOT, SAMPLE } from './fixtures';
import { writeNpy } from './helpers/npy-file';

const CLI = path.join(ROOT, 'out', 'cli', 'cli.cjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-runtime-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string; json: () => Record<string, unknown> } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: tmp } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as Record<string, unknown> };
}

const BENCH_KEYS = ['sessionCreateMs', 'firstRunMs', 'latencyMs', 'throughput', 'peakRssBytes', 'sessionOptions', 'coefficientOfVariation', 'runs', 'batch'];
const LATENCY_KEYS = ['p50', 'p90', 'p99', 'mean', 'std', 'min', 'max'];

describe('bench --json', () => {
  it('gives the documented keys on the sample', () => {
    const r = cli('bench', SAMPLE, '--runs', '30', '--warmup', '2', '--threads', '1', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = r.json();
    for (const k of BENCH_KEYS) expect(j).toHaveProperty(k);
    const lat = j.latencyMs as Record<string, number>;
    expect(Object.keys(lat).sort()).toEqual([...LATENCY_KEYS].sort());
    expect(lat.min).toBeLessThanOrEqual(lat.p50);
    expect(lat.p50).toBeLessThanOrEqual(lat.p99);
    expect(lat.p99).toBeLessThanOrEqual(lat.max);
    expect(j.runs).toBe(30);
    expect(j.sessionCreateMs).toBeGreaterThan(0);
    expect(j.sessionOptions).toMatchObject({ intraOpThreads: 1, graphOptimizationLevel: 'all', executionProviders: ['cpu'] });
    expect(j.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(j.throughput).toBeGreaterThan(0);
    expect(j.latenciesMs).toHaveLength(30);
    expect(j.profile).toBeNull();
  });

  it('gives the keys on resnet18 at batch 2, with a profile per node and per op type', () => {
    const r = cli('bench', generated('resnet18.onnx'), '--runs', '5', '--warmup', '1', '--batch', '2', '--profile', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = r.json();
    for (const k of BENCH_KEYS) expect(j).toHaveProperty(k);
    expect(j.batch).toBe(2);
    expect((j.inputs as Array<{ shape: number[] }>)[0].shape).toEqual([2, 3, 224, 224]);
    expect(j.throughput as number).toBeCloseTo((2 * 5) / (j.measuredSeconds as number), 6);
    const profile = j.profile as { runs: number; nodes: Array<{ opType: string; share: number; graphNode: string | null }>; opTypes: Array<{ opType: string; share: number }> };
    expect(profile.runs).toBe(5);
    expect(profile.opTypes[0].opType).toMatch(/Conv/);
    expect(profile.opTypes.reduce((s, o) => s + o.share, 0)).toBeCloseTo(1, 6);
    expect(profile.nodes.filter((n) => n.graphNode !== null).length).toBeGreaterThan(profile.nodes.length / 2);
  });

  it('prints a readable report with the profile table', () => {
    const r = cli('bench', SAMPLE, '--runs', '10', '--profile');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/latency p50 \/ p90 \/ p99/);
    expect(r.stdout).toMatch(/op type\s+nodes\s+ms\/run\s+share/);
  });
});

describe('run', () => {
  it('prints the top class with its label for a sample image', () => {
    const r = cli('run', SAMPLE, '--input', `input=${path.join(path.dirname(SAMPLE), 'images', 'bag', '0.png')}`, '--top', '3', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = (r.json().outputs as Array<{ top: Array<{ label: string; probability: number }> }>)[0];
    expect(out.top).toHaveLength(3);
    expect(out.top[0].label).toBe('Bag');
  });

  it('takes a .npy input and --dim values', () => {
    const file = path.join(tmp, 'two.npy');
    writeNpy(file, 'float32', [2, 1, 28, 28]);
    const r = cli('run', SAMPLE, '--input', file, '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.json().dims).toEqual({ batch: 2 });
    const conflict = cli('run', SAMPLE, '--input', file, '--dim', 'batch=1');
    expect(conflict.status).toBe(2);
    expect(conflict.stderr).toMatch(/Dimension "batch" is 2 in two\.npy, but 1 was asked for/);
  });
});

describe('bad input data gets a clear error naming the input and what it expects', () => {
  it('wrong shape', () => {
    const file = path.join(tmp, 'rgb.npy');
    writeNpy(file, 'float32', [1, 3, 28, 28]);
    const r = cli('run', SAMPLE, '--input', `input=${file}`, '--json');
    expect(r.status).toBe(2);
    expect(r.json()).toEqual({
      error: { code: 'INVALID_INPUT', message: 'Input "input" expects shape [batch, 1, 28, 28] (float32); rgb.npy has [1, 3, 28, 28]: axis 1 is 3, expected 1.' },
    });
    expect(r.stderr).toMatch(/^deploy-studio: Input "input" expects shape/);
  });

  it('wrong dtype', () => {
    const file = path.join(tmp, 'ints.npy');
    writeNpy(file, 'int64', [1, 1, 28, 28]);
    const r = cli('bench', SAMPLE, '--input', `input=${file}`, '--runs', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Input "input" expects float32 \[batch, 1, 28, 28\]; ints\.npy holds int64 data/);
  });

  it('unreadable image', () => {
    const file = path.join(tmp, 'broken.png');
    fs.writeFileSync(file, 'this is not a PNG');
    const r = cli('run', SAMPLE, '--input', `input=${file}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.png cannot be read as an image .* Input "input" expects an image/);
  });

  it('unknown input and dimension names', () => {
    expect(cli('run', SAMPLE, '--input', 'pixels=zeros').stderr).toMatch(/The model has no input "pixels"\. Its inputs: input\./);
    expect(cli('run', SAMPLE, '--dim', 'seq=4').stderr).toMatch(/no symbolic dimension "seq"\. Its symbolic dimensions: batch\./);
    expect(cli('bench', generated('resnet18.onnx'), '--target', 'no-such-target-xyz', '--runs', '1').stderr).toMatch(/no-such-target-xyz/);
  });
});
