/** Specs of the size rule: a pass never makes the stored weights larger than it says it will. */
import { describe, expect, it } from 'vitest';
import { graph, model, node, tensor, value } from '../../../test/engine/helpers/build-model';
import { StudioError } from '../../../shared/api/errors';
import { DataType } from '../onnx/proto';
import { checkPassSize, storedSize } from './size-guard';

const prune = { title: 'Channel pruning', produces: 'pruned' as const };
const quantize = { title: 'Static int8', produces: 'quantized' as const };

/** @returns a stored size: float parameters and bytes, and all bytes (the float ones unless given) */
function size(params: number, floatBytes: number, bytes = floatBytes) {
  return { params, floatBytes, bytes };
}

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof StudioError ? `${err.code}: ${err.message}` : 'not a StudioError';
  }
  return undefined;
}

describe('storedSize', () => {
  it('counts every stored tensor once, Constant values and bodies included, and float elements as parameters', () => {
    const body = graph({ name: 'then', nodes: [node('Constant', [], ['c'], { value: tensor('', [3], [1, 2, 3]) })], outputs: [value('c', [3])] });
    const m = model(
      graph({
        nodes: [node('If', ['cond'], ['y'], { then_branch: body, else_branch: body })],
        inputs: [value('cond', [], DataType.BOOL)],
        outputs: [value('y', [3])],
        initializers: [tensor('W', [2, 2], [1, 2, 3, 4]), tensor('shape', [2], [1, 4], DataType.INT64)],
      }),
    );
    // W (4 floats), shape (2 int64), the Constant in each branch (3 floats each)
    expect(storedSize(m, new Map())).toEqual({ params: 4 + 3 + 3, floatBytes: 16 + 12 + 12, bytes: 16 + 16 + 12 + 12 });
  });
});

describe('checkPassSize', () => {
  it('lets a pruning pass keep or shrink the model, and refuses one that adds parameters', () => {
    expect(codeOf(() => checkPassSize(prune, size(100, 400), size(70, 280), {}))).toBeUndefined();
    expect(codeOf(() => checkPassSize(prune, size(100, 400), size(100, 400), {}))).toBeUndefined();
    expect(codeOf(() => checkPassSize(prune, size(1_050_000, 4_300_000), size(1_570_000, 8_000_000), {}))).toMatch(
      /^INTERNAL: Channel pruning made the model larger than it should: float parameters grew from 1\.05 M to 1\.57 M; stored weights grew from .* No model was written/,
    );
  });

  it('allows a pruning pass the bytes of rewritten shape constants (integers)', () => {
    expect(codeOf(() => checkPassSize(prune, size(100, 400, 400), size(90, 360, 2400), {}))).toBeUndefined();
  });

  it('holds a quantizer to the bytes its report gives, and to no growth', () => {
    expect(codeOf(() => checkPassSize(quantize, size(100, 400), size(10, 40, 140), { weightBytesAfter: 140 }))).toBeUndefined();
    expect(codeOf(() => checkPassSize(quantize, size(100, 400), size(10, 40, 180), { weightBytesAfter: 140 }))).toMatch(/where its report says 140 B/);
    expect(codeOf(() => checkPassSize(quantize, size(1000, 4000), size(0, 0, 8000), {}))).toMatch(/stored weights grew/);
  });

  it('does not hold other passes (graph optimization may fold constants into larger ones)', () => {
    expect(codeOf(() => checkPassSize({ title: 'Graph optimization', produces: 'optimized' }, size(1, 4), size(1000, 4000), {}))).toBeUndefined();
  });
});
