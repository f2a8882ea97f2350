/** `deploy-studio distill`: a pruned sample trained from the original on images (JSON and text), and clear refusals. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED, ROOT, SAMPLE } from './fixtures';
import { trainCalibrationNpy } from './helpers/fashion-mnist';
import { writeNpy } from './helpers/npy-file';

const CLI = path.join(ROOT, 'out', 'cli', 'cli.cjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-distill-cli-'));
const IMAGES = path.join(path.dirname(SAMPLE), 'images');
let pruned = '';
let train = '';
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: tmp }, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as Record<string, unknown> };
}

beforeAll(() => {
  pruned = path.join(tmp, 'pruned.onnx');
  const r = cli('prune', SAMPLE, '-o', pruned, '--method', 'channel', '--sparsity', '50%');
  expect(r.status, r.stderr).toBe(0);
  train = trainCalibrationNpy(tmp);
}, 300_000);

describe('deploy-studio distill', () => {
  it('trains the pruned sample from the original and prints the epochs as JSON', () => {
    const out = path.join(tmp, 'distilled.onnx');
    const before = fs.readFileSync(pruned);
    const r = cli('distill', pruned, '--teacher', SAMPLE, '--data', train, '--val', IMAGES, '--epochs', '2', '--batch', '32', '-o', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = r.json() as { output: string; trainItems: number; epochs: Array<{ epoch: number; trainLoss: number; val: { items: number; agreement: number } }>; before: { items: number }; keptEpoch: number; teacher: string; trainable: { params: number } };
    expect(j.output).toBe(out);
    expect(j.trainItems).toBe(600);
    expect(j.teacher).toBe(path.basename(SAMPLE));
    expect(j.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(j.epochs[1].trainLoss).toBeLessThan(j.epochs[0].trainLoss);
    expect(j.before.items).toBeGreaterThan(0);
    expect(j.epochs[1].val.agreement).toBeGreaterThanOrEqual(0);
    expect(j.trainable.params).toBeGreaterThan(1000);
    expect(fs.existsSync(out)).toBe(true);
    expect(fs.readFileSync(pruned).equals(before)).toBe(true);
  });

  it('prints a table of epochs for a terminal and warns without validation data', () => {
    const r = cli('distill', pruned, '--teacher', SAMPLE, '--data', train, '--epochs', '1', '--limit', '200', '-o', path.join(tmp, 'd2.onnx'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote .*d2\.onnx .*distilled from fashion-cnn\.onnx/);
    expect(r.stdout).toMatch(/trained [\d.]+ ?K? weights in \d+ tensors on 200 items: 1 epochs, batch 64, adam lr 0\.003, temperature 4, no labels/);
    expect(r.stdout).toMatch(/1 \(kept\)/);
    expect(r.stderr).toMatch(/warning: No validation data/);
  });

  it('refuses a student it cannot train, naming the nodes, and writes nothing', () => {
    const out = path.join(tmp, 'loop.onnx');
    const model = path.join(GENERATED, 'loop-rnn.onnx');
    const rows = path.join(tmp, 'rows.npy');
    writeNpy(rows, 'float32', [40, 32], Float32Array.from({ length: 40 * 32 }, (_, i) => Math.sin(i)));
    const r = cli('distill', model, '--teacher', model, '--data', rows, '-o', out);
    expect(r.status).not.toBe(0);
    expect(fs.existsSync(out)).toBe(false);
    expect(r.stderr).toMatch(/loop-rnn\.onnx cannot be trained: The gradient cannot pass through 1 node: rnn_loop \(Loop\)/);
  });

  it('refuses bad flags with the flag named', () => {
    const r = cli('distill', pruned, '--teacher', SAMPLE, '--data', train, '--epochs', 'two', '-o', path.join(tmp, 'x.onnx'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--epochs takes a whole number, not "two"/);
  });
});
