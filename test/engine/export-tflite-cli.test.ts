/** Engine tests of `deploy-studio export --format tflite`: JSON figures from the Arm NN check, refusals with exit codes. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generated, ROOT, SAMPLE } from './fixtures';

const CLI = path.join(ROOT, 'out', 'cli', 'cli.cjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-export-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: tmp } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('export --format tflite', () => {
  it('--json gives the file, its operators and the check figures with their sample count', () => {
    const out = path.join(tmp, 'sample.tflite');
    const r = cli('export', SAMPLE, '--format', 'tflite', '-o', out, '--samples', '20', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.outPath).toBe(out);
    expect(fs.statSync(out).size).toBe(j.bytes);
    expect(j.operators.CONV_2D).toBe(3);
    expect(j.check.ran).toBe(true);
    expect(j.check.checker).toMatch(/Arm NN/);
    const o = j.check.outputs[0];
    expect(o.samples).toBe(20);
    expect(o.relativeMaxError).toBeLessThan(1e-4);
    expect(o.top1Agreement).toBe(1);
  }, 120_000);

  it('the text report names the checker, the inputs and the sample count', () => {
    const r = cli('export', SAMPLE, '--format', 'tflite', '-o', path.join(tmp, 'sample-nhwc.tflite'), '--layout', 'nhwc', '--samples', '4');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('input [1, 28, 28, 1] float32 nhwc');
    expect(r.stdout).toContain('Arm NN 20.08 (CpuRef) vs onnxruntime on 4 generated inputs');
    expect(r.stdout).toContain('100.0 % of 4');
  }, 120_000);

  it('refuses a Loop model with the node list and writes nothing; refuses other formats', () => {
    const out = path.join(tmp, 'loop.tflite');
    const r = cli('export', generated('loop-rnn.onnx'), '--format', 'tflite', '-o', out);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/TFLite export does not support \d+ nodes?: .*\(Loop\).*Nothing was written/);
    expect(fs.existsSync(out)).toBe(false);
    const f = cli('export', SAMPLE, '--format', 'coreml', '-o', path.join(tmp, 'x.mlmodel'));
    expect(f.status).not.toBe(0);
    expect(f.stderr).toContain('the only export format is tflite');
  });
});
