/** `deploy-studio run MODEL --input FILE --task auto|classify|… [--render OUT.png] [--json]`: a model run as a task. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../shared/api/errors';
import { TASK_KINDS, TASK_TITLES, type TaskKind, type TaskOptions, type TaskResultDto } from '../../shared/tasks/task-types';
import { loadModelFile, RuntimeService, runTask, writeTaskRender, type TaskRun } from '../engine';
import { readInputSpecFlags, type InputSpecFlags } from './input-spec-cli';
import { cliJob } from './runtime-cli';
import { printJson, printOut } from './output';
import { table } from './format';
import { useTargetProfiles } from './targets-command';

/** The flags of the task form of `run`. */
export interface TaskFlags {
  task?: string;
  render?: string;
  score?: string;
  iou?: string;
  characters?: string;
  sampleRate?: string;
}

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

function fraction(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new StudioError('INVALID_REQUEST', `${flag} takes a number from 0 to 1 (got "${v}").`);
  return n;
}

/** @returns the task options the flags set. */
function taskOptions(opts: TaskFlags): TaskOptions {
  const o: TaskOptions = {};
  const score = fraction('--score', opts.score);
  const iou = fraction('--iou', opts.iou);
  if (score !== undefined) [o.scoreThreshold, o.activeThreshold] = [score, score];
  if (iou !== undefined) o.iouThreshold = iou;
  if (opts.sampleRate !== undefined) {
    const r = Number(opts.sampleRate);
    if (!Number.isInteger(r) || r < 1000) throw new StudioError('INVALID_REQUEST', `--sample-rate takes a rate in Hz, e.g. 16000 (got "${opts.sampleRate}").`);
    o.sampleRate = r;
  }
  if (opts.characters) {
    const file = path.resolve(opts.characters);
    if (!fs.existsSync(file)) throw new StudioError('FILE_NOT_FOUND', `The character list ${file} does not exist (one character a line, without the CTC blank).`);
    o.characters = fs.readFileSync(file, 'utf8').replace(/\r/g, '').split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  }
  return o;
}

/** @returns the result's lines for a terminal. */
export function taskText(run: TaskRun, render?: { path: string; width: number; height: number }): string {
  const r = run.result;
  const lines = [
    `${r.fileName} on ${r.inputFile}: ${TASK_TITLES[run.kind]} (${run.chosenBy === 'guess' ? `guessed, ${run.guess.confidence} confidence` : run.chosenBy === 'user' ? 'as asked' : "the family's saved task"}); ${r.runs} run${r.runs === 1 ? '' : 's'} in ${ms(r.latencyMs)}`,
  ];
  if (run.chosenBy === 'guess') lines.push(...run.guess.reasons.map((x) => `  why: ${x}`));
  if (run.chosenBy === 'guess' && run.guess.confidence === 'ask') lines.push(`  not sure: pick the task with --task (${[run.guess.kind, ...run.guess.alternatives].join(', ')})`);
  lines.push(...body(r));
  lines.push(...r.notes.map((n) => `  note: ${n}`));
  if (render) lines.push(`rendered ${render.path} (${render.width}×${render.height} px)`);
  return lines.join('\n');
}

function body(r: TaskResultDto): string[] {
  switch (r.kind) {
    case 'classify':
      return [table(r.top.map((t, i) => [`${i + 1}.`, t.label ?? `class ${t.index}`, pct(t.probability)]), '  ')];
    case 'detect':
      return [
        `  ${r.boxes.length} box${r.boxes.length === 1 ? '' : 'es'} at score ≥ ${r.scoreThreshold}, NMS IoU ${r.iouThreshold} (${r.format} from ${r.outputNames.join(', ')}; ${r.candidates.length} candidates); pixels of the ${r.sourceWidth}×${r.sourceHeight} input`,
        ...(r.boxes.length ? [table(r.boxes.map((b) => [b.label ?? `class ${b.classIndex}`, pct(b.score), `x ${b.x0.toFixed(1)}–${b.x1.toFixed(1)}`, `y ${b.y0.toFixed(1)}–${b.y1.toFixed(1)}`]), '  ')] : []),
      ];
    case 'segment':
      return [
        `  ${r.mode === 'classes' ? 'classes per pixel' : 'probability map (≥ 0.5 is foreground)'} from "${r.outputName}", ${r.maskWidth}×${r.maskHeight}; ${pct(r.coverage)} not background`,
        table(r.classes.map((c) => [c.label ?? `class ${c.classIndex}`, `${c.pixels} px`, pct(c.fraction), c.bbox ? `box ${c.bbox.map((v) => v.toFixed(0)).join(', ')}` : '']), '  '),
      ];
    case 'image':
      return [`  "${r.outputName}" as a ${r.width}×${r.height} image (values ${r.valueRange[0]}..${r.valueRange[1]} mapped to 0..255)`];
    case 'audio':
      return [
        `  ${r.durationSeconds.toFixed(2)} s at ${r.sampleRate} Hz (file ${r.sourceSampleRate} Hz); ${r.mode}${r.chunkSamples ? ` in chunks of ${r.chunkSamples} samples` : ''}; ${r.frames.length} frames of ${(r.frameSeconds * 1000).toFixed(1)} ms from "${r.outputName}"`,
        `  ${r.segments.length} active segment${r.segments.length === 1 ? '' : 's'} (frames ≥ ${r.activeThreshold}):`,
        ...r.segments.map((s) => `    ${s.startSeconds.toFixed(2)} s – ${s.endSeconds.toFixed(2)} s  (mean ${s.meanScore.toFixed(2)})`),
      ];
    case 'sequence':
      return [`  text: "${r.text}"  (${r.tokens.length} characters, mean probability ${pct(r.meanProbability)}${r.hasCharacters ? '' : '; no character list (--characters FILE): class indices shown'})`];
    case 'tensor':
      return r.outputs.map((o) => `  ${o.name} ${o.dtype} [${o.shape.join(', ')}]${o.stats ? `  min ${o.stats.min.toPrecision(4)} max ${o.stats.max.toPrecision(4)} mean ${o.stats.mean.toPrecision(4)} std ${o.stats.std.toPrecision(4)}` : ''}`);
  }
}

/** @returns the result for `--json`, without bulk arrays (the mask, waveform and output image): their statistics stay. */
export function taskJson(run: TaskRun, render?: { path: string; width: number; height: number }): unknown {
  const r = run.result as unknown as Record<string, unknown>;
  const { mask: _m, probability: _p, waveform: _w, outputDataUrl: _o, candidates: _c, ...rest } = r;
  return { task: run.kind, chosenBy: run.chosenBy, guess: run.guess, result: rest, ...(render ? { render } : {}) };
}

/** Runs the task form of the verb. */
export async function runTaskVerb(modelPath: string, opts: TaskFlags & InputSpecFlags & { input?: string[]; labels?: string; target?: string; json?: boolean }): Promise<void> {
  const kind = (opts.task ?? 'auto') as TaskKind | 'auto';
  if (kind !== 'auto' && !TASK_KINDS.includes(kind)) throw new StudioError('INVALID_REQUEST', `--task takes auto, ${TASK_KINDS.join(', ')} (got "${opts.task}").`);
  const inputs = opts.input ?? [];
  if (inputs.length !== 1) throw new StudioError('INVALID_REQUEST', `--task and --render run one input file: give it with --input FILE (got ${inputs.length}).`);
  const eq = inputs[0].indexOf('=');
  const file = eq > 0 && !fs.existsSync(inputs[0]) ? inputs[0].slice(eq + 1) : inputs[0];
  if (!fs.existsSync(file)) throw new StudioError('FILE_NOT_FOUND', `The input ${path.resolve(file)} does not exist. Check the path.`);
  if (opts.target) useTargetProfiles();
  const loaded = loadModelFile(modelPath);
  const runtime = new RuntimeService();
  const job = cliJob(Boolean(opts.json));
  try {
    const { spec } = readInputSpecFlags(opts);
    const run = await runTask(runtime, loaded, {
      inputPath: file,
      kind,
      options: taskOptions(opts),
      labelsPath: opts.labels ? path.resolve(opts.labels) : undefined,
      spec,
      targetId: opts.target,
      signal: job.signal,
      onProgress: job.onProgress,
    });
    const render = opts.render ? await writeTaskRender(run.result, path.resolve(file), opts.render, loaded.path) : undefined;
    job.done();
    if (opts.json) printJson(taskJson(run, render), 2);
    else printOut(taskText(run, render));
  } finally {
    job.done();
    runtime.dispose();
  }
}
