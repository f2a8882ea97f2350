/**
 * The `preprocess` verb (the Model place's editor for pipelines) and `--preprocess`/`--labels` on run: on the sample
 * model, setting ImageNet-style values changes what `run` feeds (its top-1 follows the saved config), labels from a
 * JSON file show in `run`, and `--preprocess FILE` overrides the saved config for one run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, SAMPLE } from './fixtures';

const CLI = path.join(ROOT, 'out', 'cli', 'cli.cjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-prep-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: path.join(tmp, 'data') }, timeout: 120_000 });
}

const IMAGE = path.join(path.dirname(SAMPLE), 'images', 'ankle-boot', '0.png');

describe('deploy-studio preprocess', () => {
  it('shows the config beside the sample, sets a preset and labels, and run follows them; --clear goes back', () => {
    const shown = cli('preprocess', SAMPLE);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/preprocessing: a file beside the model/);
    expect(shown.stdout).toMatch(/labels: 10, a file beside the model \(output "[^"]+": 10 classes\)/);

    const before = JSON.parse(cli('run', SAMPLE, '-i', `input=${IMAGE}`, '--json').stdout) as { outputs: Array<{ top: Array<{ index: number; score: number; label: string }> }> };
    const labels = path.join(tmp, 'names.json');
    fs.writeFileSync(labels, JSON.stringify(Array.from({ length: 10 }, (_, i) => `garment ${i}`)));
    const set = cli('preprocess', SAMPLE, '--preset', 'raw', '--labels', labels, '--json');
    expect(set.status, set.stderr).toBe(0);
    const state = JSON.parse(set.stdout) as { preprocessOrigin: string; preprocess: { scale: number; mean?: number[] }; labelsOrigin: string; labelsMatch: boolean };
    expect(state).toMatchObject({ preprocessOrigin: 'family', preprocess: { scale: 1 }, labelsOrigin: 'family', labelsMatch: true });
    expect(state.preprocess.mean).toBeUndefined();

    const after = JSON.parse(cli('run', SAMPLE, '-i', `input=${IMAGE}`, '--json').stdout) as typeof before;
    expect(after.outputs[0].top[0].label).toMatch(/^garment \d$/);
    // pixels fed as 0…255 instead of the sample's normalized values: the scores change
    expect(after.outputs[0].top[0].score).not.toBeCloseTo(before.outputs[0].top[0].score, 3);

    // --preprocess overrides the saved config for one run: the file beside the sample gives the first figures back
    const once = JSON.parse(cli('run', SAMPLE, '-i', `input=${IMAGE}`, '--preprocess', path.join(path.dirname(SAMPLE), 'preprocess.json'), '--json').stdout) as typeof before;
    expect(once.outputs[0].top[0].index).toBe(before.outputs[0].top[0].index);
    expect(once.outputs[0].top[0].score).toBeCloseTo(before.outputs[0].top[0].score, 5);

    const cleared = cli('preprocess', SAMPLE, '--clear', '--clear-labels');
    expect(cleared.stdout).toMatch(/preprocessing: a file beside the model/);
    const back = JSON.parse(cli('run', SAMPLE, '-i', `input=${IMAGE}`, '--json').stdout) as typeof before;
    expect(back.outputs[0].top[0]).toMatchObject({ index: before.outputs[0].top[0].index, label: before.outputs[0].top[0].label });
  }, 240_000);

  it('refuses unknown presets and bad labels with a message that says what to give', () => {
    const bad = cli('preprocess', SAMPLE, '--preset', 'zscore');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/Unknown --preset zscore: use unit, signed, imagenet, raw/);
    const file = path.join(tmp, 'bad.json');
    fs.writeFileSync(file, '{"a": "b"}');
    const labels = cli('preprocess', SAMPLE, '--labels', file);
    expect(labels.stderr).toMatch(/JSON labels must be a list of names/);
  }, 60_000);
});
