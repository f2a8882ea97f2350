/** Registers the runtime verbs `run` and `bench` on the CLI program. */
import type { Command } from 'commander';
import { runBench, type BenchOptions } from './bench-command';
import { runRun, type RunOptions } from './run-command';
import { collect } from './runtime-cli';

/**
 * Adds `run` and `bench`.
 * @param program - the CLI program
 * @param fail - prints an error the CLI's way (one line, JSON with `--json`) and sets the exit code
 */
export function registerRuntimeCommands(program: Command, fail: (err: unknown, json: boolean) => void): void {
  program
    .command('run')
    .description('run a model once and print its outputs (shape, dtype, stats, top-k with labels)')
    .argument('<model>', 'path to an .onnx file')
    .option('-i, --input <name=source>', 'input data: a .npy/.npz/.pb/.json file, an image, "zeros" or "random[:seed]" (repeatable)', collect, [])
    .option('-d, --dim <name=value>', 'size of a symbolic dimension (NAME=N) or of an unnamed one (INPUT:AXIS=N); repeatable', collect, [])
    .option('--input-spec <file>', 'sizes and values of the inputs (JSON: {"inputs": {"NAME": {"shape", "value", "range", "file"}}})')
    .option('--labels <file>', 'class labels, one per line (default: the family\u2019s, set with `preprocess`, else labels.txt beside the model)')
    .option('--preprocess <file>', 'how images become the input (default: the family\u2019s, set with `preprocess`, else preprocess.json beside the model)')
    .option('--top <k>', 'how many top classes to show', '5')
    .option('--threads <n>', 'intra-op threads (0: onnxruntime decides)')
    .option('--target <id>', 'apply a target profile\u2019s session options')
    .option('--task <kind>', 'run the input file as a task: auto, classify, detect, segment, image, audio, sequence or tensor')
    .option('--render <out.png>', 'draw the task\u2019s result to a PNG (boxes, mask, before/after, waveform and segments, text)')
    .option('--score <t>', 'detection: lowest box score; audio: active-frame threshold (0..1)')
    .option('--iou <t>', 'detection: NMS overlap threshold (0..1, default 0.45)')
    .option('--characters <file>', 'sequence: the CTC character list, one a line (the blank left out)')
    .option('--sample-rate <hz>', 'audio: the model\u2019s sample rate (default: the input spec, the model\u2019s metadata, else 16000)')
    .option('--json', 'print one JSON object')
    .action(async (model: string, opts: RunOptions) => {
      try {
        await runRun(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });

  program
    .command('bench')
    .description('benchmark a model: session creation, first run, latency percentiles, throughput, peak memory, profile')
    .argument('<model>', 'path to an .onnx file')
    .option('--runs <n>', 'timed runs (default 100)')
    .option('--seconds <s>', 'run for this long instead of a number of runs')
    .option('--warmup <n>', 'warm-up runs after the first run (default 5)')
    .option('--threads <n>', 'intra-op threads (0: onnxruntime decides)')
    .option('--inter-threads <n>', 'inter-op threads')
    .option('--graph-opt <level>', 'graph optimization: disabled, basic, extended or all (default all)')
    .option('--batch <n>', 'batch size (sets the leading symbolic dimension)')
    .option('--profile', 'profile the runs with onnxruntime: time per node and per op type')
    .option('--target <id>', 'apply a target profile\u2019s session options')
    .option('-i, --input <name=source>', 'input data (as for run; default: seeded random)', collect, [])
    .option('-d, --dim <name=value>', 'size of a symbolic dimension (NAME=N) or of an unnamed one (INPUT:AXIS=N); repeatable', collect, [])
    .option('--input-spec <file>', 'sizes and values of the inputs (JSON: {"inputs": {"NAME": {"shape", "value", "range", "file"}}})')
    .option('--json', 'print one JSON object')
    .action(async (model: string, opts: BenchOptions) => {
      try {
        await runBench(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });
}
