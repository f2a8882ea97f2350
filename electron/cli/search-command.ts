/** `deploy-studio search MODEL --data D --max-drop X`: try a grid of recipes, recommend the fastest within the drop. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SearchResultDto } from '../../shared/api/evaluate-dto';
import { StudioError } from '../../shared/api/errors';
import { accuracyDelta, ms, pct, ratioDelta } from '../../shared/evaluate/compare-format';
import { formatBytes } from '../../shared/format/bytes';
import { loadModelFile, runtimeFor, searchRecipes, writeFileAtomic, writeReport } from '../engine';
import { createCliEngine, runCliJob } from './cli-engine';
import { datasetFlags, jsonRows, secondsOption, skipLines, type DataFlags } from './compare-command';
import { table } from './format';
import { intOption } from './runtime-cli';
import { printErr, printJson, printOut } from './output';

export interface SearchFlags extends DataFlags {
  maxDrop: string;
  pruneRatios?: string;
  fp16?: boolean;
  output?: string;
  recipeOut?: string;
  report?: string;
  calibrationData?: string;
}

/**
 * Parses `--max-drop`: a fraction (`0.01`) or percentage points (`1%`).
 * @throws StudioError `INVALID_REQUEST` for anything else
 */
export function parseMaxDrop(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const v = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(v >= 0 && v < 1)) {
    throw new StudioError('INVALID_REQUEST', `--max-drop takes a fraction such as 0.01 or a percentage such as 1%, below 100 %; got "${text}".`);
  }
  return v;
}

function parseRatios(text: string | undefined): number[] | undefined {
  if (!text) return undefined;
  const ratios = text.split(',').map((s) => Number(s.trim()));
  if (ratios.some((r) => !(r > 0 && r < 1))) throw new StudioError('INVALID_REQUEST', `--prune-ratios takes fractions between 0 and 1 separated by commas (e.g. 0.25,0.5); got "${text}".`);
  return ratios;
}

function candidatesTable(r: SearchResultDto): string {
  const head = ['recipe', r.metric === 'accuracyTop1' ? 'top-1' : 'agreement', 'change', 'p50', 'vs original', 'size', 'within', 'Pareto'];
  const rows = r.candidates.map((c, i) => [
    `${i === r.recommended ? '* ' : '  '}${c.label}`,
    c.row ? pct(c.row[r.metric]) : 'failed',
    c.drop === null ? '—' : accuracyDelta(-c.drop),
    c.row ? ms(c.row.latencyMs.p50) : '—',
    c.row ? ratioDelta(c.row.delta.latencyP50Ratio) : (c.error ?? '').slice(0, 60),
    c.row ? formatBytes(c.row.sizeBytes) : '—',
    c.meetsDrop ? 'yes' : 'no',
    c.onFront ? 'yes' : '',
  ]);
  return table([head, ...rows]);
}

/** Runs the verb. */
export async function runSearch(model: string, opts: SearchFlags): Promise<void> {
  const maxDrop = parseMaxDrop(opts.maxDrop);
  const pruneRatios = parseRatios(opts.pruneRatios);
  const source = loadModelFile(model);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-studio-search-'));
  const engine = createCliEngine({ quiet: opts.json });
  try {
    const result = await runCliJob(engine, 'search', `Search recipes for ${source.fileName}`, (job) =>
      searchRecipes(
        engine,
        source,
        {
          data: datasetFlags(opts),
          maxDrop,
          targetId: opts.target,
          session: opts.threads !== undefined ? { intraOpThreads: intOption('--threads', opts.threads, 0) } : undefined,
          pruneRatios,
          fp16: opts.fp16,
          calibrationPath: opts.calibrationData,
          timingRounds: intOption('--rounds', opts.rounds, 5),
          timingSeconds: secondsOption('--seconds', opts.seconds),
          outDir,
        },
        job,
      ),
    );
    const pick = result.recommended === null ? null : result.candidates[result.recommended];
    const written: string[] = [];
    if (pick && opts.output) {
      const target = path.resolve(opts.output);
      if (target === source.path) throw new StudioError('ACCESS_DENIED', 'The output would overwrite the input model: choose another -o path.');
      writeFileAtomic(target, fs.readFileSync(pick.modelPath as string));
      written.push(target);
    }
    if (pick && opts.recipeOut) {
      const target = path.resolve(opts.recipeOut.endsWith('.json') ? opts.recipeOut : `${opts.recipeOut}.recipe.json`);
      writeFileAtomic(target, JSON.stringify(pick.recipe, null, 2) + '\n');
      written.push(target);
    }
    if (opts.report) written.push(writeReport(opts.report, 'html', result.comparison, result).path);
    if (opts.json) {
      const rows = jsonRows(result.comparison);
      printJson(
          {
            maxDrop,
            metric: result.metric,
            passesAvailable: result.passesAvailable,
            dataset: result.comparison.dataset,
            original: rows[0],
            candidates: result.candidates.map((c) => ({
              label: c.label,
              recipe: c.recipe,
              drop: c.drop,
              meetsDrop: c.meetsDrop,
              onFront: c.onFront,
              error: c.error,
              row: c.row ? rows.find((r) => r.model === c.row?.modelPath) : null,
            })),
            recommended: pick ? { label: pick.label, recipe: pick.recipe, latencyMs: pick.row?.latencyMs, drop: pick.drop, output: opts.output ? path.resolve(opts.output) : null } : null,
            written,
          },
        2,
      );
      return;
    }
    for (const line of [...skipLines(result.comparison), ...result.comparison.warnings]) printErr(`warning: ${line}`);
    printOut(`original: ${pct(result.original[result.metric])} ${result.metric}, p50 ${ms(result.original.latencyMs.p50)}; allowed drop ${pct(maxDrop)}`);
    printOut(candidatesTable(result));
    printOut(pick ? `recommended: ${pick.label} (${pick.recipe.steps.map((s) => s.pass).join(' → ')})` : 'no recipe was faster than the original within the allowed drop');
    for (const w of written) printOut(`wrote ${w}`);
  } finally {
    runtimeFor(engine).dispose();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
