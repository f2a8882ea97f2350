/** `deploy-studio inspect MODEL [--json]`: the model summary. */
import type { ModelSummary, TensorInfo } from '../../shared/api/model-summary';
import { loadModelFile, summarize } from '../engine';
import { formatBytes } from '../../shared/format/bytes';
import { formatCount } from '../../shared/format/count';
import { table } from './format';
import { printErr, printJson, printOut } from './output';
import { problemLines, unusableLine } from './problems-text';

/** The `--json` object: exactly these keys. */
export function inspectJson(s: ModelSummary): Record<string, unknown> {
  return {
    fileSize: s.fileSizeBytes,
    irVersion: s.irVersion,
    producer: { name: s.producerName, version: s.producerVersion },
    opsetImports: s.opsetImports,
    inputs: s.inputs.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
    outputs: s.outputs.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
    nodeCount: s.nodeCount,
    subgraphNodeCount: s.subgraphNodeCount,
    initializerCount: s.initializerCount,
    paramCount: s.paramCount,
    opCounts: s.opCounts,
    weightBytesByDtype: s.weightBytesByDtype,
    metadataProps: s.metadataProps,
    flops: s.flops ?? null,
    macs: s.macs ?? null,
    problems: s.problems,
  };
}

function shapeText(t: TensorInfo): string {
  return t.shape ? `[${t.shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]` : '(unknown shape)';
}

/** Renders the summary for a terminal. */
export function inspectText(s: ModelSummary): string {
  const opsets = Object.entries(s.opsetImports)
    .map(([d, v]) => `${d || 'ai.onnx'} ${v}`)
    .join(', ');
  const lines = [
    `${s.fileName}  (${formatBytes(s.fileSizeBytes)}${s.externalDataBytes ? ` + ${formatBytes(s.externalDataBytes)} external data` : ''})`,
    `  IR version ${s.irVersion}, opsets: ${opsets}`,
    `  producer: ${s.producerName || '(none)'} ${s.producerVersion}`.trimEnd(),
    ...(s.problems.length ? ['', `Problems (${s.problems.length})`, ...problemLines(s.problems)] : []),
    '',
    'Inputs',
    table(s.inputs.map((t) => [t.name, t.dtype, shapeText(t)])),
    'Outputs',
    table(s.outputs.map((t) => [t.name, t.dtype, shapeText(t)])),
    '',
    `Nodes: ${s.nodeCount}${s.subgraphNodeCount ? ` (+ ${s.subgraphNodeCount} in subgraphs)` : ''}`,
    `Initializers: ${s.initializerCount}   Parameters: ${formatCount(s.paramCount)} (${s.paramCount})`,
    `Compute: ${s.macs != null ? `${formatCount(s.macs, 'MACs')}, ${formatCount(s.flops ?? 0, 'FLOPs')} per inference (symbolic dims = 1)` : 'unknown (some shapes are only known at run time)'}`,
    'Weights by dtype',
    table(Object.entries(s.weightBytesByDtype).map(([d, b]) => [d, formatBytes(b)])),
    'Operators',
    table(
      Object.entries(s.opCounts)
        .sort((a, b) => b[1] - a[1])
        .map(([op, n]) => [op, String(n)]),
    ),
  ];
  const meta = Object.entries(s.metadataProps);
  if (meta.length) lines.push('Metadata', table(meta.map(([k, v]) => [k, v])));
  return lines.join('\n');
}

/** Runs the verb; a model with an error-severity problem ends it with one line naming the first and exit code 2. */
export function runInspect(modelPath: string, opts: { json?: boolean }): void {
  const summary = summarize(loadModelFile(modelPath));
  if (opts.json) printJson(inspectJson(summary), 2);
  else printOut(inspectText(summary));
  const unusable = unusableLine(summary.problems);
  if (unusable) {
    printErr(unusable);
    process.exitCode = 2;
  }
}
