/** The README of a runtime bundle: how to run it, the model's inputs/outputs/preprocessing, measured figures, reports. */
import type { PackageMeasurement } from '../../../shared/api/package-api';
import type { ModelSummary } from '../../../shared/api/model-summary';
import { settingsLabel } from '../../../shared/api/runtime-dto';
import { markdownCode, markdownText } from '../../../shared/security/untrusted-text';
import type { ModelAssets } from './model-assets';
import { ioSection, labelsSection, preprocessSection } from './readme-parts';

export interface BundleReadmeInput {
  summary: ModelSummary;
  assets: ModelAssets;
  studioVersion: string;
  versions: { onnxruntime: string; sharp: string };
  measurement: PackageMeasurement | null;
  /** why nothing was measured, when nothing was */
  measurementNote: string | null;
  /** a sample the studio classified while packaging: file and top-1 */
  sample: { file: string; label: string; probability: number } | null;
  reports: string[];
  targetId: string | null;
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 3 : 1)} ms`;

/** @returns README.md for the bundle. */
export function bundleReadme(r: BundleReadmeInput): string {
  const m = r.measurement;
  const example = r.assets.imageInput ? 'node run.js path/to/image.png' : 'node run.js input.npy';
  const measured = m
    ? [
        `Measured by Deploy Studio while packaging, on ${m.host} with onnxruntime ${m.onnxruntimeVersion}${r.targetId ? ` and the session settings of target profile \`${r.targetId}\`` : ''}:`,
        '',
        '| figure | value |',
        '| --- | --- |',
        `| session settings | ${settingsLabel(m.sessionOptions)} |`,
        `| session creation | ${ms(m.sessionMs)} |`,
        `| latency p50 (batch 1, ${m.runs} runs) | ${ms(m.p50Ms)} |`,
        `| latency p90 | ${ms(m.p90Ms)} |`,
        `| latency mean | ${ms(m.meanMs)} |`,
        ...(m.coefficientOfVariation > 0.1 ? ['', `**Noisy:** the runs varied by ${(m.coefficientOfVariation * 100).toFixed(0)} % (std / mean over ${m.runs} runs); the machine was busy, so measure again before relying on them.`] : []),
        '',
        'The runner uses one intra-op thread per physical core of the machine it runs on (set `MODEL_RUNNER_THREADS` to choose),',
        'the same rule the studio used for these figures.',
        '',
        `Figures from another machine differ; measure there with \`${example.replace('node run.js', 'node run.js --bench 200')}\` (the same protocol: the`,
        'input prepared once, a warm-up, then timed runs of the session alone; p50/p90/p99 with a noise mark).',
      ].join('\n')
    : r.measurementNote ?? 'Not measured.';
  const sample = r.sample ? `\nThe studio classified ${markdownCode(r.sample.file)} as **${markdownText(r.sample.label)}** (p = ${r.sample.probability.toFixed(4)}) while packaging; \`node run.js\` on that image prints the same top-1.\n` : '';
  const reports = r.reports.length
    ? `## Comparison report\n\n${r.reports.map((f) => `- [${markdownCode(`reports/${f}`)}](reports/${encodeURIComponent(f)})`).join('\n')}\n`
    : '## Comparison report\n\nNone was given when this bundle was made (Deploy Studio\'s Compare screen writes one).\n';
  return `# ${markdownText(r.summary.fileName.replace(/\.onnx$/i, ''))}: runtime bundle

**${markdownText(r.summary.fileName)}** with a command-line runner for Node.js (onnxruntime-node ${r.versions.onnxruntime}, sharp
${r.versions.sharp}), packaged by Deploy Studio ${r.studioVersion} on ${new Date().toISOString().slice(0, 10)}.

## Run it

\`\`\`sh
npm install                 # onnxruntime-node and sharp (Node.js 20.19 or later)
${example}
${example} --json           # one JSON object: top classes, outputs, latency
node run.js a.png b.png --top 3
${example.replace('node run.js', 'node run.js --bench 200')}   # latency on this machine: p50/p90/p99 of 200 runs after warm-up
\`\`\`

Each result shows the top classes with probabilities (softmax of the scores when they are logits), the inference
latency and the preprocessing time. Exit code 2 and one line on stderr when an input cannot be used.
${sample}
## Files

| file | what |
| --- | --- |
| \`model.onnx\`${r.summary.externalDataBytes ? ' (+ `model.onnx.data`)' : ''} | the model (${r.summary.paramCount.toLocaleString('en-US')} parameters, opsets ${Object.entries(r.summary.opsetImports).map(([d, v]) => `${d || 'ai.onnx'} ${v}`).join(', ')}) |
| \`runner-config.json\` | inputs, outputs, preprocessing and labels the runner reads |
| \`run.js\`, \`lib/model-runner-core.cjs\` | the runner: the studio's own preprocessing and ranking |
| \`labels.txt\`, \`preprocess.json\` | the same labels and preprocessing as plain files, when the model has them |
| \`package.json\`, \`.npmrc\` | pinned dependencies; the CUDA download of onnxruntime-node is skipped (CPU build) |

${ioSection(r.summary, r.assets)}

${preprocessSection(r.assets)}

${labelsSection(r.assets)}

## Measured figures

${measured}

${reports}`;
}
