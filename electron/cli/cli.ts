/** The `deploy-studio` command line: every verb wires the engine; `--json` output for pipelines. */
import { disposeCliEngines } from './cli-engine';
import { Command, CommanderError } from 'commander';
import { StudioError } from '../../shared/api/errors';
import { appVersion } from '../engine';
import { runInspect } from './inspect-command';
import { runGraph } from './graph-command';
import { runOptimize } from './optimize-command';
import { runServe } from './serve-command';
import { registerRuntimeCommands } from './runtime-commands';
import { registerTargetCommands } from './targets-command';
import { registerPackageCommand } from './package-command';
import { registerEvaluateCommands } from './evaluate-commands';
import { registerPruneCommand } from './prune-command';
import { registerQuantizeCommand } from './quantize-command';
import { registerConvertCommand } from './convert-command';
import { registerDistillCommand } from './distill-command';
import { registerExportCommand } from './export-command';
import { registerPreprocessCommand } from './preprocess-command';
import { printErr, printJson } from './output';

/**
 * Prints a one-line error (never a stack trace) and sets a non-zero exit code; with `--json` also the error object,
 * whose `details` keep what a lower layer said (onnxruntime's own message).
 */
function fail(err: unknown, json: boolean): void {
  const code = err instanceof StudioError ? err.code : 'ERROR';
  const message = err instanceof Error ? err.message : String(err);
  const details = err instanceof StudioError ? err.details : undefined;
  if (json) printJson({ error: { code, message, ...(details ? { details } : {}) } });
  printErr(`deploy-studio: ${message}`);
  if (process.env.DEPLOY_STUDIO_DEBUG) {
    if (details?.onnxruntime) printErr(`onnxruntime said: ${details.onnxruntime}`);
    if (err instanceof Error) printErr(`${err.stack}`);
  }
  process.exitCode = err instanceof StudioError ? 2 : 1;
}

/** Builds the program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('deploy-studio')
    .description('Deploy Studio: inspect, optimize, compare and package ONNX models.')
    .version(appVersion(), '-v, --version')
    .showHelpAfterError('(run deploy-studio --help for usage)')
    .enablePositionalOptions();

  program
    .command('inspect')
    .description('print a model summary: I/O, op counts, parameters, weights')
    .argument('<model>', 'path to an .onnx file')
    .option('--json', 'print one JSON object')
    .action((model: string, opts: { json?: boolean }) => {
      try {
        runInspect(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });

  program
    .command('optimize')
    .description('replay a recipe (*.recipe.json) on a model and write the result to a new file')
    .argument('<model>', 'path to an .onnx file (never modified)')
    .requiredOption('--recipe <file>', 'the recipe to replay')
    .requiredOption('-o, --output <file>', 'where to write the optimized model')
    .option('--json', 'print one JSON object')
    .action(async (model: string, opts: { recipe: string; output: string; json?: boolean }) => {
      try {
        await runOptimize(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });

  program
    .command('graph')
    .description('draw a model graph as SVG (the studio\'s layout) or print its graph DTO')
    .argument('<model>', 'path to an .onnx file')
    .option('--svg <file>', 'write the graph as an SVG file')
    .option('--json', 'print the graph DTO as one JSON object')
    .option('--subgraph <path>', 'a nested graph, e.g. If_0.then_branch or Loop_2.body/If_1.else_branch')
    .option('--theme <theme>', 'light or dark', 'light')
    .option('--edge-labels', 'write tensor shapes on the edges')
    .option('--unfold-weights', 'draw weights as their own boxes')
    .action((model: string, opts: { svg?: string; json?: boolean; subgraph?: string; theme?: string; edgeLabels?: boolean; unfoldWeights?: boolean }) => {
      try {
        runGraph(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });

  program
    .command('serve')
    .description('serve the studio to a browser on 127.0.0.1 (token-protected)')
    .option('-p, --port <port>', 'port (default: a free one)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--no-open', 'do not open a browser')
    .option('--token <token>', 'use this session token instead of a random one')
    .option('--model <path>', 'open this model first')
    .option('--allow <dir>', 'a folder whose files the browser may use by path (repeatable); other files are uploaded', (d: string, all: string[]) => [...all, d], [] as string[])
    .action(async (opts) => {
      try {
        await runServe(opts);
      } catch (err) {
        fail(err, false);
      }
    });
  registerRuntimeCommands(program, fail);
  registerTargetCommands(program, fail);
  registerPackageCommand(program, fail);
  registerEvaluateCommands(program, fail);
  registerPruneCommand(program, fail);
  registerQuantizeCommand(program, fail);
  registerConvertCommand(program, fail);
  registerExportCommand(program, fail);
  registerDistillCommand(program, fail);
  registerPreprocessCommand(program, fail);
  return program;
}

/** Runs the CLI with `argv`. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    fail(err, false);
  } finally {
    disposeCliEngines();
  }
}

if (require.main === module) void main(process.argv);
