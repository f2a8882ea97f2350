/**
 * Hostile text (SECURITY.md): every CLI verb, with and without --json, on models whose every string field holds
 * terminal escape sequences, NUL, DEL, C1 controls and very long text. No byte of 0x00–0x08, 0x0B–0x1F, 0x7F–0x9F
 * (nor a code point U+0080–U+009F) from the model reaches stdout or stderr, JSON stays valid with the text unchanged,
 * and the files the verbs write (README, SVG, reports) carry none either.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slugify } from '../../shared/package/app-identity';
import { defaultOutDir } from '../../electron/engine/package/package-plan';
import { tritonNameFromFile } from '../../electron/engine/package/triton-config';
import { slug } from '../../electron/engine/variants/create-variant';
import { ROOT } from './fixtures';
import { hostile, LONG, NAMES, refusedHostileModel, runnableHostileModel } from './helpers/hostile-model';
import { writeNpy } from './helpers/npy-file';

const CLI = path.join(ROOT, 'out', 'cli', 'cli.cjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HOSTILE = path.join(tmp, 'hostile.onnx');
const REFUSED = path.join(tmp, 'refused.onnx');
/** the runnable model again under a file name that itself holds escape sequences */
const HOSTILE_NAME = path.join(tmp, 'name\x1b]0;pwned\x07\x1b[31m\x7f\u009b1m.onnx');
const DATA = path.join(tmp, 'data.npy');
const RECIPE = path.join(tmp, 'q.recipe.json');

interface CliRun {
  args: string[];
  status: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: path.join(tmp, 'data'), DEPLOY_STUDIO_THREADS: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (status) => resolve({ args, status, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
  });
}

/** @returns where forbidden bytes or code points occur in a terminal stream (empty when none). */
function forbiddenIn(bytes: Buffer): string[] {
  const hits: string[] = [];
  bytes.forEach((b, i) => {
    if ((b <= 0x08 || (b >= 0x0b && b <= 0x1f) || b === 0x7f) && hits.length < 5) hits.push(`byte 0x${b.toString(16)} at ${i}`);
  });
  const text = bytes.toString('utf8');
  for (let i = 0; i < text.length && hits.length < 5; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 && c <= 0x9f) hits.push(`U+00${c.toString(16)} at char ${i}: …${JSON.stringify(text.slice(Math.max(0, i - 40), i + 5))}`);
  }
  return hits;
}

/** Every verb; `{out}` becomes a fresh output path. */
const VERBS: string[][] = [
  ['inspect'],
  ['graph'],
  ['graph', '--svg', '{out}.svg'],
  ['run'],
  ['bench', '--runs', '3', '--warmup', '1'],
  ['check', '--target', 'host'],
  ['quantize', '-o', '{out}.onnx', '--mode', 'static', '--calibration-limit', '4'],
  ['quantize', '-o', '{out}.onnx', '--mode', 'dynamic'],
  ['quantize', '-o', '{out}.onnx', '--mode', 'fp16'],
  ['prune', '-o', '{out}.onnx', '--sparsity', '0.3'],
  ['convert', '-o', '{out}.onnx', '--opset', '13'],
  ['package', '--bundle', '--out', '{out}'],
  ['optimize', '--recipe', RECIPE, '-o', '{out}.onnx'],
];

let counter = 0;
const outPath = () => path.join(tmp, `out-${++counter}`);

/** Runs one verb on a model (with or without --json) and returns the run and where it wrote. */
async function runVerb(verb: string[], model: string, json: boolean): Promise<CliRun & { out: string }> {
  const out = outPath();
  const args = [verb[0], model, ...verb.slice(1).map((a) => a.replace('{out}', out)), ...(json ? ['--json'] : [])];
  return { ...(await cli(args)), out };
}

/** Runs jobs two at a time (a loaded 2-core machine). */
async function inPairs<T>(jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += 2) results.push(...(await Promise.all(jobs.slice(i, i + 2).map((j) => j()))));
  return results;
}

function expectClean(r: CliRun): void {
  const label = r.args.map((a) => JSON.stringify(a).slice(0, 60)).join(' ');
  expect(forbiddenIn(r.stdout), `stdout of ${label}`).toEqual([]);
  expect(forbiddenIn(r.stderr), `stderr of ${label}`).toEqual([]);
  // a result or a refusal a user can act on: never a JavaScript fault or a stack trace
  expect([0, 2, 3], `exit of ${label}: ${r.stderr.toString().slice(0, 400)}`).toContain(r.status);
  expect(r.stderr.toString()).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

beforeAll(() => {
  runnableHostileModel(HOSTILE);
  refusedHostileModel(REFUSED);
  fs.copyFileSync(HOSTILE, HOSTILE_NAME);
  writeNpy(DATA, 'float32', [6, 3, 8, 8], Array.from({ length: 6 * 3 * 64 }, (_, i) => Math.sin(i)));
  fs.writeFileSync(RECIPE, JSON.stringify({ kind: 'deploy-studio-recipe', version: 1, steps: [{ pass: 'quantize-dynamic', options: {} }] }));
});

describe('hostile text never reaches the terminal', () => {
  it('through every verb on a runnable model with escape sequences in every string field', async () => {
    const runs = await inPairs(VERBS.flatMap((v) => [false, true].map((json) => () => runVerb(v, HOSTILE, json))));
    for (const r of runs) expectClean(r);
    // the verbs that should work on this model did
    const failed = runs.filter((r) => r.status !== 0).map((r) => `${r.args.slice(0, 1).join(' ')} ${r.args.slice(2).join(' ')}: ${r.stderr.toString().slice(0, 300)}`);
    expect(failed).toEqual([]);
  });

  it('keeps --json valid with the model text unchanged', async () => {
    const r = await runVerb(['inspect'], HOSTILE, true);
    const json = JSON.parse(r.stdout.toString()) as { metadataProps: Record<string, string>; inputs: Array<{ name: string }>; producer: { name: string } };
    expect(json.metadataProps[hostile('metadata key')]).toBe(hostile('metadata value'));
    expect(json.metadataProps['long value']).toBe(LONG);
    expect(json.inputs[0].name).toBe(NAMES.input);
    expect(json.producer.name).toBe(hostile('producer'));
    const graph = JSON.parse((await runVerb(['graph'], HOSTILE, true)).stdout.toString()) as { graph: { nodes: Array<{ name: string }> } };
    expect(graph.graph.nodes.map((n) => n.name)).toContain(NAMES.conv2);
  });

  it('shows escape sequences escaped and cuts very long values with a note', async () => {
    const text = (await runVerb(['inspect'], HOSTILE, false)).stdout.toString();
    expect(text).toContain('metadata key\\x1b]0;pwned\\x07\\x1b[31m\\x00\\x7f\\x9b31m\\r\\u202e.metadata key');
    expect(text).toMatch(/long\\x1b\]0;pwned.*… \(\d[\d ]* more characters\)/);
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThan(5000);
  });

  it('through every verb on a model onnxruntime refuses, whose messages quote hostile names', async () => {
    const runs = await inPairs(VERBS.flatMap((v) => [false, true].map((json) => () => runVerb(v, REFUSED, json))));
    for (const r of runs) expectClean(r);
    for (const r of runs.filter((x) => x.args.includes('--json') && x.stdout.length)) expect(() => JSON.parse(r.stdout.toString()), r.args.join(' ')).not.toThrow();
  });

  it('through compare, targets and a model whose file name holds escape sequences', async () => {
    const quantized = path.join(tmp, 'dyn.onnx');
    const made = await cli(['quantize', HOSTILE, '-o', quantized, '--mode', 'dynamic']);
    expect(made.status, made.stderr.toString()).toBe(0);
    const report = path.join(tmp, 'report');
    const runs = await inPairs([
      () => cli(['compare', HOSTILE_NAME, quantized, '--data', DATA, '--rounds', '5', '--no-memory', '--report', `${report}.html`, '--markdown', `${report}.md`, '--csv', `${report}.csv`]),
      () => cli(['compare', HOSTILE, quantized, '--data', DATA, '--rounds', '5', '--no-memory', '--json']),
      () => cli(['targets']),
      () => cli(['targets', '--json']),
      ...[['inspect'], ['run'], ['bench', '--runs', '3'], ['package', '--bundle', '--out', '{out}']].flatMap((v) => [false, true].map((json) => () => runVerb(v, HOSTILE_NAME, json))),
    ]);
    for (const r of runs) expectClean(r);
    expect(runs.filter((r) => r.status !== 0).map((r) => r.stderr.toString())).toEqual([]);
    for (const file of [`${report}.html`, `${report}.md`, `${report}.csv`]) expect(forbiddenIn(fs.readFileSync(file)), file).toEqual([]);
  });

  it('in the files the verbs write: README, runner config, SVG', async () => {
    const bundle = await runVerb(['package', '--bundle', '--out', '{out}'], HOSTILE, false);
    const svg = await runVerb(['graph', '--svg', '{out}.svg'], HOSTILE, false);
    for (const file of [path.join(bundle.out, 'README.md'), path.join(bundle.out, 'runner-config.json'), `${svg.out}.svg`]) {
      expect(forbiddenIn(fs.readFileSync(file)), file).toEqual([]);
    }
    const readme = fs.readFileSync(path.join(bundle.out, 'README.md'), 'utf8');
    expect(readme).toContain('| `input\\x1b]0;pwned\\x07\\x1b[31m\\x7f\\x9b31m\\r\\u202e.input` | float32 |');
    expect(JSON.parse(fs.readFileSync(path.join(bundle.out, 'runner-config.json'), 'utf8')).inputs[0].name).toBe(NAMES.input);
  });

  it('in file and folder names made from model and file names', () => {
    const names = [hostile('name'), '../../etc/passwd', '..\\..\\win', '..', '.hidden', '/abs/path.onnx', LONG, 'CON', ''];
    for (const name of names) {
      for (const made of [slug(name), slugify(name), tritonNameFromFile(name), path.basename(defaultOutDir(name, 'bundle'))]) {
        expect(made, JSON.stringify(name.slice(0, 40))).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
        expect(made.length).toBeLessThanOrEqual(128);
      }
    }
  });
});
