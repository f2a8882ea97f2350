/** `--input-spec FILE` and `--dim NAME=N` / `--dim INPUT:AXIS=N`: the sizes and values of a model's inputs, for every verb that runs one. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { StudioError } from '../../shared/api/errors';
import { InputSpecSchema, type InputSpec } from '../../shared/api/input-spec';
import { collect, parseDims } from './runtime-cli';

/** The options {@link addInputSpecOptions} adds. */
export interface InputSpecFlags {
  inputSpec?: string;
  dim?: string[];
}

/**
 * Adds `--input-spec FILE` and (unless the verb has it) `--dim` to a command.
 * @param withDim - false when the command already declares `--dim`
 */
export function addInputSpecOptions(cmd: Command, withDim = true): Command {
  cmd.option('--input-spec <file>', 'sizes and values of the inputs: {"inputs": {"NAME": {"shape": [..], "value": 16000, "range": [lo, hi], "file": "x.npy"}}, "dims": {"batch": 1}}');
  if (withDim) cmd.option('-d, --dim <name=value>', 'size of a symbolic dimension (NAME=N), or of an unnamed one (INPUT:AXIS=N); repeatable', collect, []);
  return cmd;
}

/**
 * Reads `--input-spec` and merges `--dim` into it.
 * @returns the spec (undefined when neither was given) and the folder its relative paths resolve against
 * @throws StudioError `INVALID_REQUEST` for an unreadable or invalid spec file, naming the field
 */
export function readInputSpecFlags(opts: InputSpecFlags): { spec?: InputSpec; specDir?: string } {
  const dims = parseDims(opts.dim);
  if (!opts.inputSpec && !Object.keys(dims).length) return {};
  let spec: InputSpec = { inputs: {}, dims: {} };
  let specDir: string | undefined;
  if (opts.inputSpec) {
    const file = path.resolve(opts.inputSpec);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : `it is not valid JSON (${(err as Error).message})`;
      throw new StudioError('INVALID_REQUEST', `The input spec ${file} cannot be read: ${why}.`);
    }
    const parsed = InputSpecSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StudioError('INVALID_REQUEST', `The input spec ${file} is invalid at ${issue.path.join('.') || 'its top level'}: ${issue.message}.`);
    }
    spec = parsed.data;
    specDir = path.dirname(file);
  }
  return { spec: { inputs: spec.inputs, dims: { ...spec.dims, ...dims } }, specDir };
}
