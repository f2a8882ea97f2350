/** `deploy-studio targets [--json]` and `deploy-studio check MODEL --target ID [--dim n=v] [--measure] [--json]`. */
import type { Command } from 'commander';
import { StudioError } from '../../shared/api/errors';
import type { CheckResultDto, TargetListDto } from '../../shared/api/targets-api';
import { installTargetSessionResolver, ProfileStore, runtimeFor, userDataDir } from '../engine';
import { createCliEngine } from './cli-engine';
import { formatBytes } from '../../shared/format/bytes';
import { formatCount, formatOps } from '../../shared/format/count';
import { table } from './format';
import { collect, parseDims } from './runtime-cli';
import { printJson, printOut } from './output';

/** Makes `--target ID` work for the runtime verbs (bench, run): profiles come from the bundle and the data folder. */
export function useTargetProfiles(): void {
  installTargetSessionResolver(new ProfileStore(userDataDir()));
}

/** Renders the profile list for a terminal. */
export function targetsText(list: TargetListDto): string {
  const rows = [['id', 'device', 'providers', 'fp32', 'fp16', 'int8', 'bandwidth', 'memory', 'source']];
  for (const t of list.targets) {
    const p = t.profile;
    rows.push([
      p.id,
      p.deviceClass,
      p.executionProviders.join('>'),
      formatOps(p.peakGops.fp32, 'FLOPS'),
      formatOps(p.peakGops.fp16, 'FLOPS'),
      formatOps(p.peakGops.int8),
      `${p.memoryBandwidthGBs} GB/s`,
      formatBytes(p.memoryBudgetBytes),
      t.detected ? 'detected' : t.builtIn ? 'built in' : 'user',
    ]);
  }
  const lines = [table(rows), '', `Peak compute per second: FLOPS for floats, OPS for integers. User profiles: ${list.userDir}`];
  for (const bad of list.invalid) lines.push(`refused: ${bad.message}`);
  return lines.join('\n');
}

const MARK = { error: 'ERROR  ', warning: 'WARN   ', info: 'info   ' } as const;

/** Renders a check result for a terminal. */
export function checkText(r: CheckResultDto, measured?: { p50: number }): string {
  const l = r.latency;
  const m = r.memory;
  const lines = [
    `${r.fileName} on ${r.target.name} (${r.target.id}): ${r.verdict === 'ok' ? 'compatible' : r.verdict === 'warnings' ? 'compatible, with warnings' : 'NOT compatible'}`,
    `  ${formatCount(r.analysis.macs, 'MACs')}, ${formatCount(r.analysis.flops, 'FLOPs')}${Object.keys(r.analysis.assumedDims).length ? ` at ${Object.keys(r.analysis.assumedDims).map((k) => `${k}=1`).join(', ')}` : ''}`,
    '',
    'Providers',
    table(r.assignment.map((a) => [a.ep, `${a.nodes} nodes`, a.opTypes.join(', ')])),
    '',
    'Estimates (computed for the target, not measured)',
    table([
      ['latency', l ? `${l.ms.toFixed(2)} ms (${l.lowMs.toFixed(2)} – ${l.highMs.toFixed(2)} ms, ×/÷ ${l.uncertaintyFactor})` : 'unknown'],
      ...(l ? [['  bound by', `compute ${l.computeBoundMs.toFixed(2)} ms, memory ${l.memoryBoundMs.toFixed(2)} ms, overhead ${l.overheadMs.toFixed(2)} ms`]] : []),
      ['memory', `${formatBytes(m.totalBytes)} (weights ${formatBytes(m.weightBytes)} + peak activations ${formatBytes(m.peakActivationBytes)}) of ${formatBytes(m.budgetBytes)}`],
      ['storage', `${formatBytes(m.storageBytes)} of ${formatBytes(m.storageBudgetBytes)}`],
      ...(measured && l ? [['measured here', `p50 ${measured.p50.toFixed(2)} ms; estimate / measured = ${(l.ms / measured.p50).toFixed(2)}`]] : []),
    ]),
  ];
  if (r.findings.length) {
    lines.push('', 'Findings');
    for (const f of r.findings) {
      lines.push(`  ${MARK[f.severity]}${f.title}`, `         ${f.detail}`, `         → ${f.suggestion}`);
    }
  }
  lines.push('', 'Session on this host with this profile', `  ${r.session.emulated.join('; ')}`);
  for (const n of r.session.notEmulated) lines.push(`  not emulated: ${n}`);
  if (l) lines.push('', ...l.assumptions.map((a) => `  ${a}`));
  return lines.join('\n');
}

/** Adds `targets` and `check` to the program. */
export function registerTargetCommands(program: Command, fail: (err: unknown, json: boolean) => void): void {
  program
    .command('targets')
    .description('list target hardware profiles (built in, detected host, and yours)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      try {
        const engine = createCliEngine({ quiet: true });
        const list = await engine.call('listTargets', {});
        if (opts.json) printJson(list, 2);
        else printOut(targetsText(list));
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });

  program
    .command('check')
    .description('check a model against a target profile: unsupported ops, dtypes, memory, storage, latency estimate')
    .argument('<model>', 'path to an .onnx file')
    .requiredOption('-t, --target <id>', 'target profile id (see `deploy-studio targets`)')
    .option('-d, --dim <name=value>', 'size of a symbolic dimension, e.g. batch=8 (repeatable)', collect, [])
    .option('--measure', 'also benchmark the model here with the profile\u2019s session options and print estimate / measured')
    .option('--runs <n>', 'timed runs for --measure', '30')
    .option('--json', 'print one JSON object')
    .action(async (model: string, opts: { target: string; dim: string[]; measure?: boolean; runs: string; json?: boolean }) => {
      const engine = createCliEngine({ quiet: Boolean(opts.json) });
      try {
        const runs = Number(opts.runs);
        if (!Number.isInteger(runs) || runs < 1) throw new StudioError('INVALID_REQUEST', `--runs must be a whole number ≥ 1, got "${opts.runs}".`);
        const { modelId } = await engine.openModel({ path: model });
        const dims = parseDims(opts.dim);
        const result = await engine.call('checkTarget', { modelId, targetId: opts.target, dims });
        let measured: { p50: number } | undefined;
        if (opts.measure) {
          const bench = await engine.call('benchmark', { modelId, targetId: opts.target, runs, warmup: 5, dims });
          measured = { p50: bench.latencyMs.p50 };
        }
        const json = { ...result, ...(measured && result.latency ? { measured: { p50Ms: measured.p50, ratio: result.latency.ms / measured.p50 } } : {}) };
        if (opts.json) printJson(json, 2);
        else printOut(checkText(result, measured));
        if (result.verdict === 'errors') process.exitCode = 3;
      } catch (err) {
        fail(err, Boolean(opts.json));
      } finally {
        runtimeFor(engine).dispose();
      }
    });
}
