/** `deploy-studio inspect --json` against python3-onnx's figures (scripts/onnx-reference-inspect.py) on real models. */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformance, generated, ROOT, SAMPLE } from './fixtures';

const CLI = path.join(ROOT, 'bin', 'deploy-studio.cjs');

function ours(model: string): Record<string, unknown> {
  return JSON.parse(execFileSync(process.execPath, [CLI, 'inspect', model, '--json'], { encoding: 'utf8' })) as Record<string, unknown>;
}

function reference(model: string): Record<string, unknown> {
  const out = execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts/onnx-reference-inspect.py'), model], { encoding: 'utf8' });
  return JSON.parse(out) as Record<string, unknown>;
}

const models: Array<[string, () => string]> = [
  ['the trained sample', () => SAMPLE],
  ['resnet18', () => generated('resnet18.onnx')],
  ['mobilenet_v2', () => generated('mobilenet_v2.onnx')],
  ['densenet121', () => generated('densenet121.onnx')],
  ['a transformer encoder', () => generated('transformer.onnx')],
  ['a model with nested If and Loop subgraphs', () => generated('if-model.onnx')],
  ['a model whose weights are all Constant nodes', () => generated('constant-weights.onnx')],
  ['a model with external data', () => generated('external-data.onnx')],
  ['conformance test_if', () => conformance('node/test_if')],
  ['conformance test_loop11', () => conformance('node/test_loop11')],
  ['conformance test_scan9_sum', () => conformance('node/test_scan9_sum')],
  ['conformance test_range_float_type_positive_delta_expanded', () => conformance('node/test_range_float_type_positive_delta_expanded')],
  ['conformance pytorch-converted test_ConvTranspose2d', () => conformance('pytorch-converted/test_ConvTranspose2d')],
];

describe('inspect --json matches python3-onnx', () => {
  it.each(models)('on %s', (_name, file) => {
    const model = file();
    const a = ours(model);
    const b = reference(model);
    for (const key of ['nodeCount', 'subgraphNodeCount', 'initializerCount', 'paramCount', 'opCounts', 'irVersion', 'opsetImports']) {
      expect(a[key], key).toEqual(b[key]);
    }
    expect((a.inputs as Array<{ name: string }>).map((i) => i.name)).toEqual(b.inputs);
    expect((a.outputs as Array<{ name: string }>).map((o) => o.name)).toEqual(b.outputs);
    expect((a.producer as { name: string }).name).toBe(b.producerName);
  });

  it('prints exactly the documented keys', () => {
    expect(Object.keys(ours(SAMPLE)).sort()).toEqual(
      [
        'fileSize',
        'irVersion',
        'producer',
        'opsetImports',
        'inputs',
        'outputs',
        'nodeCount',
        'subgraphNodeCount',
        'initializerCount',
        'paramCount',
        'opCounts',
        'weightBytesByDtype',
        'metadataProps',
        'flops',
        'macs',
        'problems',
      ].sort(),
    );
  });
});
