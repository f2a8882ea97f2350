/**
 * Small models for channel-pruning tests, with "dead" channels: every weight of those channels (the rows that make
 * them, the columns that read them) is zero, so pruning at the matching ratio removes exactly them and the outputs
 * must not change at all. Each model exercises couplings: residual Add, depthwise Conv, Concat, Flatten → Gemm, a
 * per-channel Mul, Split, Reshape → MatMul; and one exercises what must block pruning.
 */
import { DataType, type ModelProto } from '../../../electron/engine/onnx/proto';
import { seededRandom } from '../../../shared/random/seeded-random';
import { graph, model, node, tensor, value } from './build-model';

/** A seeded weight generator (values in [-0.5, 0.5)). */
function weights(seed: number) {
  const rand = seededRandom(seed);
  const next = () => rand() - 0.5;
  return (dims: number[]) => Array.from({ length: dims.reduce((p, d) => p * d, 1) }, next);
}

/** Zeros index `k` along `axis` of a row-major array of shape `dims`. */
function zeroAt(values: number[], dims: number[], axis: number, k: number): void {
  const inner = dims.slice(axis + 1).reduce((p, d) => p * d, 1);
  const len = dims[axis];
  for (let i = 0; i < values.length; i++) if (Math.floor(i / inner) % len === k) values[i] = 0;
}

const ints = (v: number[]) => ({ ints: v });

/**
 * Residual Add + depthwise Conv + Concat + Flatten → Gemm. At sparsity 0.25: channels 2 and 5 of the residual group
 * {convA, convB}, channel 1 of convE and channels 0 and 3 of convF are dead.
 */
export function residualModel(): ModelProto {
  const w = weights(11);
  const wa = w([8, 3, 3, 3]);
  const ba = w([8]);
  const wb = w([8, 8, 3, 3]);
  const bb = w([8]);
  const wd = w([8, 1, 3, 3]);
  const bd = w([8]);
  const we = w([4, 3, 1, 1]);
  const be = w([4]);
  const wf = w([6, 12, 3, 3]);
  const bf = w([6]);
  const wg = w([5, 96]);
  const bg = w([5]);
  for (const k of [2, 5]) {
    zeroAt(wa, [8, 3, 3, 3], 0, k);
    ba[k] = 0;
    zeroAt(wb, [8, 8, 3, 3], 0, k);
    zeroAt(wb, [8, 8, 3, 3], 1, k);
    bb[k] = 0;
    zeroAt(wd, [8, 1, 3, 3], 0, k);
    bd[k] = 0;
    zeroAt(wf, [6, 12, 3, 3], 1, k);
  }
  zeroAt(we, [4, 3, 1, 1], 0, 1);
  be[1] = 0;
  zeroAt(wf, [6, 12, 3, 3], 1, 8 + 1);
  for (const k of [0, 3]) {
    zeroAt(wf, [6, 12, 3, 3], 0, k);
    bf[k] = 0;
    for (let j = 0; j < 16; j++) zeroAt(wg, [5, 96], 1, k * 16 + j);
  }
  const pad1 = { pads: ints([1, 1, 1, 1]), kernel_shape: ints([3, 3]) };
  return model(
    graph({
      inputs: [value('x', [1, 3, 8, 8])],
      outputs: [value('y', [1, 5])],
      initializers: [
        tensor('wa', [8, 3, 3, 3], wa), tensor('ba', [8], ba), tensor('wb', [8, 8, 3, 3], wb), tensor('bb', [8], bb),
        tensor('wd', [8, 1, 3, 3], wd), tensor('bd', [8], bd), tensor('we', [4, 3, 1, 1], we), tensor('be', [4], be),
        tensor('wf', [6, 12, 3, 3], wf), tensor('bf', [6], bf), tensor('wg', [5, 96], wg), tensor('bg', [5], bg),
      ],
      nodes: [
        node('Conv', ['x', 'wa', 'ba'], ['a'], pad1, 'convA'),
        node('Relu', ['a'], ['ra'], {}, 'reluA'),
        node('Conv', ['ra', 'wb', 'bb'], ['b'], pad1, 'convB'),
        node('Add', ['ra', 'b'], ['s'], {}, 'residual'),
        node('Conv', ['s', 'wd', 'bd'], ['d'], { ...pad1, group: { int: 8 } }, 'depthwise'),
        node('Relu', ['d'], ['rd'], {}, 'reluD'),
        node('Conv', ['x', 'we', 'be'], ['e'], {}, 'convE'),
        node('Concat', ['rd', 'e'], ['c'], { axis: { int: 1 } }, 'concat'),
        node('Conv', ['c', 'wf', 'bf'], ['f'], { ...pad1, strides: ints([2, 2]) }, 'convF'),
        node('Flatten', ['f'], ['flat'], { axis: { int: 1 } }, 'flatten'),
        node('Gemm', ['flat', 'wg', 'bg'], ['y'], { transB: { int: 1 } }, 'fc'),
      ],
    }),
  );
}

/**
 * Per-channel Mul + Split + Concat + Reshape (literal target shape) → MatMul + Add. At sparsity 0.25: channels 1 and 6
 * of convA (one in each Split part), channel 0 of convP and channel 3 of convQ are dead.
 */
export function splitModel(): ModelProto {
  const w = weights(23);
  const wa = w([8, 3, 1, 1]);
  const ba = w([8]);
  const scale = w([1, 8, 1, 1]);
  const wp = w([4, 4, 1, 1]);
  const wq = w([4, 4, 1, 1]);
  const wm = w([128, 5]);
  const bm = w([5]);
  for (const k of [1, 6]) {
    zeroAt(wa, [8, 3, 1, 1], 0, k);
    ba[k] = 0;
  }
  zeroAt(wp, [4, 4, 1, 1], 1, 1);
  zeroAt(wq, [4, 4, 1, 1], 1, 2);
  zeroAt(wp, [4, 4, 1, 1], 0, 0);
  zeroAt(wq, [4, 4, 1, 1], 0, 3);
  for (const c of [0, 7]) for (let j = 0; j < 16; j++) zeroAt(wm, [128, 5], 0, c * 16 + j);
  return model(
    graph({
      inputs: [value('x', [1, 3, 4, 4])],
      outputs: [value('y', [1, 5])],
      initializers: [
        tensor('wa', [8, 3, 1, 1], wa), tensor('ba', [8], ba), tensor('scale', [1, 8, 1, 1], scale), tensor('sizes', [2], [4, 4], DataType.INT64),
        tensor('wp', [4, 4, 1, 1], wp), tensor('wq', [4, 4, 1, 1], wq), tensor('shape', [2], [1, 128], DataType.INT64),
        tensor('wm', [128, 5], wm), tensor('bm', [5], bm),
      ],
      nodes: [
        node('Conv', ['x', 'wa', 'ba'], ['a'], {}, 'convA'),
        node('Mul', ['a', 'scale'], ['m'], {}, 'scale'),
        node('Split', ['m', 'sizes'], ['p', 'q'], { axis: { int: 1 } }, 'split'),
        node('Conv', ['p', 'wp'], ['pp'], {}, 'convP'),
        node('Conv', ['q', 'wq'], ['qq'], {}, 'convQ'),
        node('Concat', ['pp', 'qq'], ['c'], { axis: { int: 1 } }, 'concat'),
        node('Relu', ['c'], ['r'], {}, 'relu'),
        node('Reshape', ['r', 'shape'], ['z'], {}, 'reshape'),
        node('MatMul', ['z', 'wm'], ['mm'], {}, 'matmul'),
        node('Add', ['mm', 'bm'], ['y'], {}, 'bias'),
      ],
    }),
  );
}

/**
 * What must block: a Slice over the channels of convA, a grouped (non-depthwise) convolution reading convB, and model
 * outputs; convH → convI stays prunable.
 */
export function blockingModel(): ModelProto {
  const w = weights(5);
  return model(
    graph({
      inputs: [value('x', [1, 3, 8, 8])],
      outputs: [value('g', [1, 6, 8, 8]), value('c', [1, 4, 8, 8]), value('y', [1, 4, 8, 8])],
      initializers: [
        tensor('wa', [8, 3, 1, 1], w([8, 3, 1, 1])), tensor('wb', [6, 8, 1, 1], w([6, 8, 1, 1])), tensor('wg', [6, 3, 1, 1], w([6, 3, 1, 1])),
        tensor('wc', [4, 4, 1, 1], w([4, 4, 1, 1])), tensor('wh', [6, 3, 1, 1], w([6, 3, 1, 1])), tensor('wi', [4, 6, 1, 1], w([4, 6, 1, 1])),
        tensor('starts', [1], [0], DataType.INT64), tensor('ends', [1], [4], DataType.INT64), tensor('axes', [1], [1], DataType.INT64),
      ],
      nodes: [
        node('Conv', ['x', 'wa'], ['a'], {}, 'convA'),
        node('Relu', ['a'], ['r'], {}, 'relu'),
        node('Slice', ['r', 'starts', 'ends', 'axes'], ['s'], {}, 'channelSlice'),
        node('Conv', ['s', 'wc'], ['c'], {}, 'convC'),
        node('Conv', ['r', 'wb'], ['b'], {}, 'convB'),
        node('Conv', ['b', 'wg'], ['g'], { group: { int: 2 } }, 'groupedConv'),
        node('Conv', ['x', 'wh'], ['h'], {}, 'convH'),
        node('Relu', ['h'], ['rh'], {}, 'reluH'),
        node('Conv', ['rh', 'wi'], ['y'], {}, 'convI'),
      ],
    }),
  );
}
