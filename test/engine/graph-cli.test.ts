/** `deploy-studio graph`: SVG drawn with the view's layout code, the graph DTO as JSON, clear errors. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SAMPLE, generated } from './fixtures';

const CLI = path.join(ROOT, 'bin', 'deploy-studio.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('deploy-studio graph', () => {
  it('writes an SVG with one box per node and prints the DTO with --json', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-graph-cli-')), 'sample.svg');
    const r = run('graph', SAMPLE, '--svg', out, '--json', '--edge-labels');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { svg: { path: string; boxes: number }; graph: { nodeCount: number; edgeCount: number; nodes: unknown[] } };
    expect(json.graph.nodeCount).toBe(16);
    expect(json.graph.nodes).toHaveLength(16);
    expect(json.svg.path).toBe(out);
    const svg = fs.readFileSync(out, 'utf8');
    expect((svg.match(/<g data-id="n/g) ?? []).length).toBe(16);
    expect(svg).toContain('float32 batch×16×28×28');
  });

  it('draws a nested If branch', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-graph-cli-')), 'then.svg');
    const r = run('graph', generated('if-model.onnx'), '--subgraph', 'outer_if.then_branch', '--svg', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('main › outer_if.then_branch');
    expect(fs.readFileSync(out, 'utf8')).toContain('outer: X');
  });

  it('names a wrong subgraph step and never overwrites the model', () => {
    const bad = run('graph', generated('if-model.onnx'), '--subgraph', 'nope.then_branch', '--json');
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stdout).error.message).toContain('no node named "nope"');
    const same = run('graph', SAMPLE, '--svg', SAMPLE);
    expect(same.status).toBe(2);
    expect(same.stderr).toContain('would overwrite the model');
  });
});
