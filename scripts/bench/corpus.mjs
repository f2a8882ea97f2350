// The corpus matrix: every model of test/fixtures/corpus/ (scripts/make-corpus.py) × every studio operation, each a CLI
// run with --json in its own process group with a timeout. A cell is OK (with the figure its JSON reports), refused with
// a studio message, or UNEXPLAINED when the message is raw onnxruntime or JavaScript text instead of a cause and a step.
// Options: --only name,name  --ops inspect,bench  --timeout SECONDS (default 300)  --out FILE (default
// test/artifacts/corpus-matrix.json)  --print FILE (print a saved run again, run nothing).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = path.join(root, 'test', 'fixtures', 'corpus');
const cli = path.join(root, 'out', 'cli', 'cli.cjs');

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const only = option('--only', '').split(',').filter(Boolean);
const onlyOps = option('--ops', '').split(',').filter(Boolean);
const timeoutMs = Number(option('--timeout', '300')) * 1000;
const outFile = path.resolve(option('--out', path.join(root, 'test', 'artifacts', 'corpus-matrix.json')));
const saved = option('--print', '');
if (saved) {
  const run = JSON.parse(fs.readFileSync(saved, 'utf8'));
  report(run.results, run.minutes ?? Number(/([\d.]+) min/.exec(run.summary)?.[1] ?? 0), run.timeoutSeconds ?? 300);
  process.exit(0);
}

if (!fs.existsSync(path.join(corpusDir, 'corpus.json'))) {
  console.log('building the corpus (scripts/make-corpus.py)…');
  execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'make-corpus.py')], { stdio: 'inherit' });
}
if (!fs.existsSync(cli)) execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--node'], { stdio: 'inherit' });
const corpus = JSON.parse(fs.readFileSync(path.join(corpusDir, 'corpus.json'), 'utf8'));
const models = corpus.models.filter((m) => only.length === 0 || only.includes(m.name));

// The newest opset `convert` offers, read from its help ("(7–21; default 21)"); null when the verb is missing.
const convertHelp = spawnSync(process.execPath, [cli, 'convert', '--help'], { encoding: 'utf8' });
const newestOpset = convertHelp.status === 0 ? Math.max(0, ...[...convertHelp.stdout.matchAll(/\d+\s*[–-]\s*(\d+)/g)].map((m) => Number(m[1]))) || 21 : null;

const fmtMs = (ms) => (ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`);
const fmtBytes = (b) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${(b / 1024).toFixed(0)} KiB`);
const snr = (x) => (typeof x === 'number' ? `SNR ${x.toFixed(1)} dB` : 'no SNR');
const quantFigure = (j) => {
  const parts = [snr(j.report?.outputSnrDb)];
  if (typeof j.quantizedNodeCount === 'number') parts.push(`${j.quantizedNodeCount} nodes`);
  if (Array.isArray(j.warnings) && j.warnings.length) parts.push(`${j.warnings.length} warning(s)`);
  return parts.join(', ');
};

/** Each operation: CLI arguments for a model and a scratch folder, and the figure its JSON reports. */
const OPS = [
  { id: 'inspect', args: (m) => ['inspect', m, '--json'], figure: (j) => `${j.nodeCount} nodes, ${j.macs == null ? 'MACs unknown' : 'MACs known'}` },
  { id: 'graph', args: (m) => ['graph', m, '--json'], figure: (j) => `${j.graph?.nodeCount ?? j.nodeCount} nodes` },
  { id: 'bench', args: (m) => ['bench', m, '--runs', '5', '--json'], figure: (j) => `p50 ${fmtMs(j.latencyMs.p50)}` },
  {
    id: 'convert',
    unavailable: () => (newestOpset == null ? 'verb not available' : null),
    args: (m, dir) => ['convert', m, '-o', path.join(dir, 'converted.onnx'), '--opset', String(newestOpset), '--json'],
    figure: (j) => `opset ${j.report?.fromOpset} → ${j.report?.toOpset}`,
  },
  { id: 'q-dynamic', args: (m, dir) => ['quantize', m, '-o', path.join(dir, 'q.onnx'), '--mode', 'dynamic', '--json'], figure: quantFigure },
  { id: 'q-static', args: (m, dir) => ['quantize', m, '-o', path.join(dir, 'q.onnx'), '--mode', 'static', '--json'], figure: quantFigure },
  { id: 'q-fp16', args: (m, dir) => ['quantize', m, '-o', path.join(dir, 'q.onnx'), '--mode', 'fp16', '--json'], figure: quantFigure },
  {
    id: 'prune',
    args: (m, dir) => ['prune', m, '-o', path.join(dir, 'p.onnx'), '--method', 'channel', '--sparsity', '0.3', '--json'],
    figure: (j) => {
      const e = j.error?.after ?? j.error?.before;
      const agree = typeof e?.agreementTop1 === 'number' ? `, top-1 agreement ${(100 * e.agreementTop1).toFixed(0)} %` : '';
      const removed = Object.values(j.removedChannels ?? {}).reduce((a, b) => a + b, 0);
      return `${snr(e?.snrDb)}${agree}, ${removed} channels removed`;
    },
  },
  {
    id: 'check',
    args: (m) => ['check', m, '--target', 'host', '--json'],
    okCodes: [0, 3],
    figure: (j) => {
      const first = (j.findings ?? []).find((f) => f.severity === 'error');
      return `verdict ${j.verdict}${first ? `: ${String(first.message ?? first.title ?? '').split('\n')[0]}` : ''}`;
    },
  },
  { id: 'package', args: (m, dir) => ['package', m, '--bundle', '--out', path.join(dir, 'bundle'), '--json'], figure: (j) => `${fmtBytes(j.totalBytes)}` },
].filter((op) => onlyOps.length === 0 || onlyOps.includes(op.id));

// Text that comes from onnxruntime or from a JavaScript fault rather than from a studio message.
const RAW = [
  /\[ONNXRuntimeError\]/i, /Non-zero status code/i, /Status Message:/, /Invalid input shape/i, /TypeInferenceError/i,
  /ShapeInferenceError/i, /This is an invalid model/i, /No Op registered for/i, /Load model from .* failed/i,
  /Got invalid dimensions/i, /Invalid rank/i, /Unexpected input data type/i, /Input X must have/, /RUNTIME_EXCEPTION/,
  /INVALID_ARGUMENT/, /INVALID_GRAPH/, /\bFAIL : /, /Cannot read propert/i, /is not a function/, /is not iterable/,
  /Maximum call stack/, /^\s*at .+\(.+:\d+:\d+\)/m, /\b(RangeError|TypeError|ReferenceError)\b/,
];

function runCell(args) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL'); // the CLI and the inference processes it started
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, secs: (performance.now() - t0) / 1000 });
    });
  });
}

function parseJson(text) {
  const start = text.indexOf('{');
  if (start < 0) return null;
  try {
    return JSON.parse(text.slice(start));
  } catch {
    return null;
  }
}

function classify(op, r) {
  if (r.timedOut) return { status: 'TIMEOUT', text: `no answer in ${timeoutMs / 1000} s` };
  const json = parseJson(r.stdout);
  // A refusal is the envelope {error: {code, message}}; prune's own `error` (its output error) is a result.
  const envelope = json && Object.keys(json).length === 1 && typeof json.error?.message === 'string' ? json.error : null;
  const ok = (op.okCodes ?? [0]).includes(r.code) && json && !envelope;
  if (ok) {
    let figure;
    try {
      figure = op.figure(json);
    } catch (e) {
      figure = `figure missing (${e.message})`;
    }
    return { status: 'OK', text: figure };
  }
  const firstStderr = r.stderr.split('\n').find((l) => l.trim() && !/^\s*warning/i.test(l)) ?? '';
  const message = (envelope?.message ?? firstStderr).split('\n')[0].replace(/^deploy-studio: /, '').trim();
  const all = `${envelope?.message ?? ''}\n${r.stderr}`;
  const text = message || `exit ${r.code ?? r.signal} with no message`;
  const code = envelope?.code ? `${envelope.code}: ` : '';
  if (!message || RAW.some((re) => re.test(all))) return { status: 'UNEXPLAINED', text: code + text };
  return { status: 'REFUSED', text: code + text };
}

const results = [];
const t0 = performance.now();
for (const model of models) {
  const file = path.join(corpusDir, model.file);
  for (const op of OPS) {
    const na = op.unavailable?.();
    if (na) {
      results.push({ model: model.name, op: op.id, status: 'N/A', text: na, secs: 0 });
      continue;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-corpus-'));
    const r = await runCell(op.args(file, dir));
    fs.rmSync(dir, { recursive: true, force: true });
    const cell = { model: model.name, op: op.id, ...classify(op, r), secs: Number(r.secs.toFixed(1)), exit: r.code };
    results.push(cell);
    process.stderr.write(`${cell.model} ${cell.op}: ${cell.status} (${cell.secs} s) ${cell.text}\n`);
  }
}

report(results, (performance.now() - t0) / 60000, timeoutMs / 1000);
fs.mkdirSync(path.dirname(outFile), { recursive: true });
const minutes = Number(((performance.now() - t0) / 60000).toFixed(1));
fs.writeFileSync(outFile, JSON.stringify({ summary: summaryLine(results, minutes), minutes, timeoutSeconds: timeoutMs / 1000, newestOpset, results }, null, 2));
console.log(`cells as JSON: ${path.relative(root, outFile)} (print it again with --print)`);

/** The short mark of a cell in the grid; an OK that did nothing useful says so. */
function mark(r) {
  if (!r) return '';
  if (r.status !== 'OK') return { REFUSED: 'refused', UNEXPLAINED: 'UNEXPLAINED', TIMEOUT: 'TIMEOUT', 'N/A': 'n/a' }[r.status];
  const snrDb = Number(/SNR (-?[\d.]+) dB/.exec(r.text)?.[1]);
  if (r.op.startsWith('q-') && snrDb < 10) return 'ok, SNR<10';
  if (r.op === 'prune' && /\b0 channels removed/.test(r.text)) return 'ok, none cut';
  return 'ok';
}

function summaryLine(cells, minutes) {
  const count = (s) => cells.filter((r) => r.status === s).length;
  return `${count('OK')} OK / ${count('REFUSED')} refused with a reason / ${count('UNEXPLAINED')} unexplained / ${count('TIMEOUT')} timed out / ${count('N/A')} not available (${cells.length} cells, ${minutes.toFixed(1)} min)`;
}

/** The grid (one row per model, one mark per operation), then every cell with its figure or message, then the counts. */
function report(cells, minutes, timeoutSeconds) {
  const names = [...new Set(cells.map((r) => r.model))];
  const ops = [...new Set(cells.map((r) => r.op))];
  const nameWidth = Math.max(...names.map((n) => n.length), 5);
  const colWidth = Math.max(...ops.map((o) => o.length), 12);
  const line = (row) => row.map((c, i) => c.padEnd(i === 0 ? nameWidth : colWidth)).join(' | ');
  console.log(`\ncorpus matrix: ${names.length} models × ${ops.length} operations (timeout ${timeoutSeconds} s per cell)\n`);
  console.log(line(['model', ...ops]));
  console.log(line(['-'.repeat(nameWidth), ...ops.map(() => '-'.repeat(colWidth))]));
  for (const n of names) console.log(line([n, ...ops.map((o) => mark(cells.find((r) => r.model === n && r.op === o)))]));
  console.log('\ncells:');
  const clip = (t) => (t.length > 400 ? `${t.slice(0, 399)}…` : t); // whole messages are in the JSON file
  for (const r of cells) console.log(`  ${r.model.padEnd(nameWidth)}  ${r.op.padEnd(10)} ${r.status.padEnd(11)} ${clip(r.text)}${r.secs ? ` (${r.secs} s)` : ''}`);
  console.log(`\nsummary: ${summaryLine(cells, minutes)}`);
}
