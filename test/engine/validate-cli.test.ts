/** `inspect` and `graph` on invalid models: the problems in --json and in the text, and exit code 2 with one line naming the first error. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../electron/engine/onnx/codec';
import { ROOT, SAMPLE } from './fixtures';
import { INVALID_CASES } from './helpers/invalid-models';

const CLI = path.join(ROOT, 'bin', 'deploy-studio.cjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-validate-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(rule: string): string {
  const c = INVALID_CASES.find((k) => k.rule === rule);
  if (!c) throw new Error(`no case "${rule}"`);
  const file = path.join(dir, `${c.code.toLowerCase()}.onnx`);
  fs.writeFileSync(file, encodeModel(c.build()));
  return file;
}

function inspect(...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'inspect', ...args], { encoding: 'utf8' });
}

describe('inspect on invalid models', () => {
  it('exits 2 on a cycle, listing it and ending with one line', () => {
    const r = inspect(write('a cycle'));
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^Problems \(1\)$/m);
    expect(r.stdout).toMatch(/^ {2}error {3}CYCLE: The graph has a cycle: node "p" \(Add\) → node "q" \(Relu\)/m);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^deploy-studio: the model is not usable: The graph has a cycle/)]);
  });

  it('exits 2 on dims declaring 10^15 elements over 16 bytes, with the problems in --json', () => {
    const r = inspect(write('dims declaring 10^15 elements over 16 bytes'), '--json');
    expect(r.status).toBe(2);
    const json = JSON.parse(r.stdout) as { problems: Array<{ severity: string; code: string; message: string; fix: string }> };
    expect(json.problems).toEqual([expect.objectContaining({ severity: 'error', code: 'TENSOR_DATA_SIZE', tensor: 'w' })]);
    expect(json.problems[0].message).toContain('say 1000000000000000 elements');
    expect(r.stderr).toMatch(/not usable: Initializer "w": dims \[1000000, 1000000, 1000\] say 1000000000000000 elements/);
  });

  it('counts the other errors in the last line', () => {
    const file = path.join(dir, 'many.onnx');
    const m = INVALID_CASES.find((k) => k.rule === 'an op that does not exist in ai.onnx')!.build();
    const foo = m.graph!.node[0];
    m.graph!.node = [0, 1, 2].map((i) => ({ ...foo, name: `f${i}`, input: [i ? `t${i - 1}` : 'x'], output: [i === 2 ? 'y' : `t${i}`] }));
    fs.writeFileSync(file, encodeModel(m));
    const r = inspect(file);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('deploy-studio: the model is not usable: Node "f0" (Foo) uses operator "Foo", which does not exist in ai.onnx (and 2 other errors).');
  });

  it('graph still draws an unusable model, lists its errors and exits 2', () => {
    const svg = path.join(dir, 'cycle.svg');
    const r = spawnSync(process.execPath, [CLI, 'graph', write('a cycle'), '--svg', svg], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(fs.existsSync(svg)).toBe(true);
    expect(r.stdout).toMatch(/^ {2}error {3}CYCLE: /m);
    expect(r.stderr.trim()).toMatch(/^deploy-studio: the model is not usable: The graph has a cycle/);
    const json = spawnSync(process.execPath, [CLI, 'graph', write('an If branch reads an outer value that does not exist'), '--json'], { encoding: 'utf8' });
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout).problems).toEqual([expect.objectContaining({ code: 'UNDEFINED_INPUT', graph: 'main/if.else_branch', node: 'er' })]);
  });

  it('exits 0 and lists warnings and suggestions of usable models', () => {
    const r = inspect(write('an old opset'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}info {4}OLD_OPSET: .*deploy-studio convert old_opset\.onnx -o old_opset-opset21\.onnx --opset 21/m);
    expect(r.stderr).toBe('');
    const clean = inspect(SAMPLE, '--json');
    expect(clean.status).toBe(0);
    expect(JSON.parse(clean.stdout).problems).toEqual([]);
  });
});
