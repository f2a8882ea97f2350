/** Registers the evaluation verbs `compare` and `search` on the CLI program. */
import type { Command } from 'commander';
import { runCompare, type CompareFlags } from './compare-command';
import { runSearch, type SearchFlags } from './search-command';

/** Adds the dataset options both verbs share. */
function dataOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--data <path>', 'a folder of class folders of images, a .npy file or folder, or ONNX test_data_set_* folders')
    .option('--preprocess <file>', 'preprocessing config (default: preprocess.json beside the data or the model)')
    .option('--labels <file>', 'class names (one a line) or class indices (.npy)')
    .option('--limit <n>', 'use only this many items (the first ones, or random ones with --seed)')
    .option('--seed <n>', 'choose the --limit items at random with this seed')
    .option('--target <id>', 'apply a target profile\u2019s session options')
    .option('--threads <n>', 'intra-op threads (0: onnxruntime decides)')
    .option('--rounds <n>', 'latency rounds, each running every model once (default 50)')
    .option('--seconds <s>', 'stop adding latency rounds after this long (default 20)')
    .option('--json', 'print one JSON object');
}

/**
 * Adds `compare` and `search`.
 * @param program - the CLI program
 * @param fail - prints an error the CLI's way and sets the exit code
 */
export function registerEvaluateCommands(program: Command, fail: (err: unknown, json: boolean) => void): void {
  dataOptions(
    program
      .command('compare')
      .description('compare models on the same data: accuracy, fidelity to the first, latency from alternated runs, size, memory')
      .argument('<models...>', '.onnx files; the first is the reference'),
  )
    .option('--report <file>', 'write the HTML report (charts included, works offline)')
    .option('--csv <file>', 'write the rows as CSV')
    .option('--markdown <file>', 'write a Markdown summary (for a pull request)')
    .option('--batch <n>', 'items per timed run (default 1)')
    .option('--no-memory', 'skip the peak-memory measurement (one fresh process per model)')
    .action(async (models: string[], opts: CompareFlags) => {
      try {
        await runCompare(models, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });

  dataOptions(
    program
      .command('search')
      .description('try a grid of recipes (quantization × pruning) and recommend the fastest within an accuracy drop')
      .argument('<model>', 'the original .onnx file (never modified)'),
  )
    .requiredOption('--max-drop <x>', 'largest accepted top-1 drop: a fraction (0.01) or a percentage (1%)')
    .option('--prune-ratios <list>', 'pruning ratios to try, e.g. 0.25,0.5')
    .option('--calibration-data <path>', 'data the passes calibrate on (default: the --data itself)')
    .option('--fp16', 'also try fp16 conversion')
    .option('-o, --output <file>', 'write the recommended model here')
    .option('--recipe-out <file>', 'write the recommended recipe (*.recipe.json) here')
    .option('--report <file>', 'write the HTML report of the search')
    .action(async (model: string, opts: SearchFlags) => {
      try {
        await runSearch(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });
}
