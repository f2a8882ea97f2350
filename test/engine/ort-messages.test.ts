/**
 * Every onnxruntime error a user meets through run, bench, quantize and compare (on the corpus and on crafted models) is
 * one line in the studio's words naming the node and the cause; onnxruntime's own text is in `--json`'s
 * `error.details.onnxruntime`, never in the message or on stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './fixtures';
import { writeNpy } from './helpers/npy-file';
import { writeOrtErrorModels, type OrtErrorModel } from './helpers/ort-error-models';

const CLI = path.join(ROOT, 'out', 'cli', 'cli.cjs');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-ort-messages-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Text that is onnxruntime's or JavaScript's rather than the studio's (scripts/bench/corpus.mjs flags the same). */
const RAW = [
  /\[ONNXRuntimeError\]/i, /Non-zero status code/i, /Status Message:/, /Invalid input shape/i, /TypeInferenceError/i,
  /ShapeInferenceError/i, /This is an invalid model/i, /No Op registered for/i, /Load model from .* failed/i,
  /Got invalid dimensions/i, /Invalid rank/i, /Unexpected input data type/i, /Input X must have/, /RUNTIME_EXCEPTION/,
  /INVALID_ARGUMENT/, /INVALID_GRAPH/, /\bFAIL : /, /onnxruntime_src/, /\w::\w+\(/, /was false\./, /\.(?:h|cc):\d+/,
  /Cannot read propert/i, /is not a function/, /is not iterable/, /Maximum call stack/, /^\s*at .+\(.+:\d+:\d+\)/m,
  /\b(RangeError|TypeError|ReferenceError)\b/,
];

interface Envelope {
  code: string;
  message: string;
  details?: { onnxruntime?: string };
}
interface CliRun {
  args: string[];
  status: number | null;
  stdout: string;
  stderr: string;
  error: Envelope | null;
}

function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--json'], { env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: path.join(tmp, 'data'), DEPLOY_STUDIO_THREADS: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => {
      let error: Envelope | null = null;
      try {
        const json = JSON.parse(stdout) as { error?: Envelope };
        if (json.error && typeof json.error.message === 'string' && Object.keys(json).length === 1) error = json.error;
      } catch {
        /* not JSON: the checks below say so */
      }
      resolve({ args, status, stdout, stderr, error });
    });
  });
}

/** Runs jobs two at a time (a loaded 2-core machine). */
async function inPairs<T>(jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += 2) results.push(...(await Promise.all(jobs.slice(i, i + 2).map((j) => j()))));
  return results;
}

/** A result, or a refusal in the studio's words; an onnxruntime refusal is one line with onnxruntime's text in details. */
function expectStudioWords(r: CliRun): void {
  const label = `${r.args[0]} ${path.basename(r.args[1])} ${r.args.slice(2).join(' ')}`;
  expect([0, 2], `${label} exited ${r.status}: ${r.stderr.slice(0, 500)}`).toContain(r.status);
  if (r.status === 0) return;
  expect(r.error, `${label}: no error envelope on stdout`).not.toBeNull();
  const e = r.error as Envelope;
  const raw = RAW.find((re) => re.test(`${e.message}\n${r.stderr}`));
  expect(raw, `${label}: raw text in "${e.message.slice(0, 400)}"`).toBeUndefined();
  const [first, second] = e.message.split('\n');
  expect(r.stderr).toContain(`deploy-studio: ${first}`);
  if (/^onnxruntime cannot/.test(first)) {
    expect(e.details?.onnxruntime, label).toMatch(/\S/);
    // the one line may be followed by the studio's list of guessed inputs, never by onnxruntime's text
    if (second !== undefined) expect(second, label).toBe('The studio made up these inputs, which may be why:');
  }
}

describe('onnxruntime errors on crafted models', () => {
  let models: Array<OrtErrorModel & { file: string }> = [];
  beforeAll(() => {
    models = writeOrtErrorModels(tmp);
    for (const m of models) writeNpy(path.join(tmp, `${m.name}.npy`), 'float32', [2, ...(m.item ?? [4])]);
  });

  it('run, bench, quantize (three modes) and compare say what failed, where, in one line', async () => {
    const verbs = (m: OrtErrorModel & { file: string }) => [
      ['run', m.file, '--input', `x=${path.join(tmp, `${m.name}.npy`)}`],
      ['bench', m.file, '--runs', '2', '--warmup', '0', '--dim', `n=${m.item?.[0] ?? 4}`],
      ['quantize', m.file, '-o', path.join(tmp, `${m.name}-dyn.onnx`), '--mode', 'dynamic'],
      ['quantize', m.file, '-o', path.join(tmp, `${m.name}-fp16.onnx`), '--mode', 'fp16', '--dim', `n=${m.item?.[0] ?? 4}`],
      ['quantize', m.file, '-o', path.join(tmp, `${m.name}-st.onnx`), '--mode', 'static', '--calibration', path.join(tmp, `${m.name}.npy`)],
      ['compare', m.file, m.file, '--data', path.join(tmp, `${m.name}.npy`), '--rounds', '5', '--no-memory'],
    ];
    const runs = await inPairs(models.flatMap((m) => verbs(m).map((args) => async () => ({ m, r: await cli(args) }))));
    for (const { r } of runs) expectStudioWords(r);
    // run and bench reach onnxruntime and get its refusal in the studio's words, naming the node
    for (const { m, r } of runs.filter(({ r }) => r.args[0] === 'run' || r.args[0] === 'bench')) {
      expect(r.status, `${m.name} ${r.args[0]}`).toBe(2);
      expect(r.error?.message, `${m.name} ${r.args[0]}`).toMatch(m.says);
    }
  });
});

/** Verbs per corpus model; the slow ones (a 1024×1024 segmenter, static calibration of the OCR models) are left to the corpus bench. */
function corpusVerbs(name: string, file: string): string[][] {
  const out = (suffix: string) => path.join(tmp, `${name}-${suffix}.onnx`);
  const verbs = [
    ['run', file],
    ['bench', file, '--runs', '2', '--warmup', '0'],
    ['quantize', file, '-o', out('dyn'), '--mode', 'dynamic'],
    ['quantize', file, '-o', out('fp16'), '--mode', 'fp16'],
    ['quantize', file, '-o', out('st'), '--mode', 'static', '--calibration-limit', '2'],
  ];
  if (name.startsWith('isnet')) return verbs.filter((v) => v[0] === 'quantize' && !v.includes('static'));
  if (name.startsWith('ppocr')) return verbs.filter((v) => !v.includes('static'));
  return verbs;
}

/** The corpus index; without one the torch exports are made here (seconds, no registry). CI builds the whole corpus. */
function corpusModels(): Array<{ name: string; file: string }> {
  const index = path.join(CORPUS, 'corpus.json');
  if (!fs.existsSync(index)) execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'make-corpus.py'), CORPUS, '--no-npm', '--no-verify'], { stdio: 'inherit' });
  return (JSON.parse(fs.readFileSync(index, 'utf8')) as { models: Array<{ name: string; file: string }> }).models;
}

/**
 * The refusals the corpus bench flagged UNEXPLAINED before onnxruntime's messages were translated (the melspectrogram
 * model, once refused at Conv_3 for a `samples` size of 1, now runs: audio-named sizes are guessed as one second).
 */
const KNOWN: Record<string, Array<[verb: string, says: RegExp]>> = {
  'silero-vad-v5': [['bench', /^onnxruntime cannot run node "[^"]*LSTM" \(LSTM, inside If "If_0" › If "[^"]*If_1"\) in silero-vad-v5\.onnx: its input X has shape \[[\d, ]+\], but it needs exactly 3 dimensions/]],
};

describe('onnxruntime errors on the corpus', () => {
  it.each(corpusModels().map((m) => [m.name, m.file] as const))('%s: run, bench and quantize answer with a result or one line in the studio\'s words', { timeout: 900_000 }, async (name, file) => {
    const runs = await inPairs(corpusVerbs(name, path.join(CORPUS, file)).map((args) => () => cli(args)));
    for (const r of runs) expectStudioWords(r);
    for (const [verb, says] of KNOWN[name] ?? []) expect(runs.find((r) => r.args[0] === verb)?.error?.message).toMatch(says);
  });
});
