/** One layer to re-fit by least squares: how its input rows and output targets are read, and how its weights are written. */
import { AttrReader } from '../../analysis/infer-types';
import type { ModelIR } from '../../onnx/ir/model-ir';
import type { NodeProto } from '../../onnx/proto';
import type { HostTensor } from '../../runtime/backend';
import { isSharedWeight } from './shared-weights';
import { dimsOf, floatTensor, readFloats, resolveConstant, setNodeWeight, type ExternalMap } from './weights';

/** A layer that reads pruned channels and can be re-fitted. */
export interface FitLayer {
  node: NodeProto;
  /** features per row (input columns, plus 1 for the bias) */
  features: number;
  targets: number;
  /** candidate rows per item, given the output dims */
  rowsPerItem(yDims: readonly number[]): number;
  /** fills `row` with the input features of row `pos` of batch item `b` */
  gather(x: HostTensor, b: number, pos: number, row: Float64Array): void;
  /** fills `out` with the reference output of row `pos` of batch item `b` (kept output channels only) */
  target(y: HostTensor, b: number, pos: number, out: Float64Array): void;
  /** the current weights as a D × O solution */
  initial(): Float64Array;
  /** writes a D × O solution as the layer's weights */
  write(sol: Float64Array): void;
}

function convPads(attrs: AttrReader, x: readonly number[], k: number[], s: number[], d: number[]): number[] {
  const auto = attrs.string('auto_pad', 'NOTSET');
  if (auto === 'NOTSET') return attrs.ints('pads') ?? [0, 0, 0, 0];
  if (auto === 'VALID') return [0, 0, 0, 0];
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < 2; i++) {
    const size = x[2 + i];
    const total = Math.max(0, (Math.ceil(size / s[i]) - 1) * s[i] + (k[i] - 1) * d[i] + 1 - size);
    const lo = auto === 'SAME_LOWER' ? Math.ceil(total / 2) : Math.floor(total / 2);
    begin.push(lo);
    end.push(total - lo);
  }
  return [...begin, ...end];
}

/**
 * Describes how to re-fit a layer.
 * @param outKeep - the output channels of the original layer that were kept (null: all)
 * @returns the layer, or the reason it cannot be re-fitted
 */
export function fitLayerFor(model: ModelIR, external: ExternalMap, node: NodeProto, outKeep: Int32Array | null): FitLayer | string {
  const g = model.graph;
  const attrs = new AttrReader(node);
  const w = resolveConstant(g, node.input[1]);
  if (!w) return 'its weights are not stored';
  if (isSharedWeight(g, node.input[1])) return 'its weight is shared with another layer (re-fitting it for this one would store it twice)';
  const wd = dimsOf(w);
  const weights = readFloats(w, external);
  const biasT = node.input[2] ? resolveConstant(g, node.input[2]) : undefined;
  if (node.input[2] && !biasT) return 'its bias is computed at run time';
  const bias = biasT ? readFloats(biasT, external) : undefined;
  const pick = (c: number) => (outKeep ? outKeep[c] : c);
  if (node.opType === 'Conv') {
    if (wd.length !== 4 || attrs.int('group', 1) !== 1) return 'only plain 2-D convolutions are re-fitted';
    const [o, c, kh, kw] = wd;
    if (bias && bias.length !== o) return 'its bias is not one value per channel';
    const s = attrs.ints('strides') ?? [1, 1];
    const dl = attrs.ints('dilations') ?? [1, 1];
    const d0 = c * kh * kw;
    let pads: number[] | undefined;
    return {
      node,
      features: d0 + 1,
      targets: o,
      rowsPerItem: (y) => y[2] * y[3],
      gather(x, b, pos, row) {
        const [, xc, h, wi] = x.dims;
        pads ??= convPads(attrs, x.dims, [kh, kw], s, dl);
        const ho = Math.floor((h + pads[0] + pads[2] - ((kh - 1) * dl[0] + 1)) / s[0]) + 1;
        const wo = Math.floor((wi + pads[1] + pads[3] - ((kw - 1) * dl[1] + 1)) / s[1]) + 1;
        const oy = Math.floor(pos / wo);
        const ox = pos % wo;
        const data = x.data as Float32Array;
        let i = 0;
        for (let ci = 0; ci < xc; ci++) {
          const base = (b * xc + ci) * h;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * s[0] - pads[0] + ky * dl[0];
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * s[1] - pads[1] + kx * dl[1];
              row[i++] = iy >= 0 && iy < h && ix >= 0 && ix < wi && oy < ho ? data[(base + iy) * wi + ix] : 0;
            }
          }
        }
        row[d0] = 1;
      },
      target(y, b, pos, out) {
        const [, yc, yh, yw] = y.dims;
        const data = y.data as Float32Array;
        for (let k = 0; k < o; k++) out[k] = data[(b * yc + pick(k)) * yh * yw + pos];
      },
      initial() {
        const init = new Float64Array((d0 + 1) * o);
        for (let k = 0; k < o; k++) {
          for (let f = 0; f < d0; f++) init[f * o + k] = weights[k * d0 + f];
          init[d0 * o + k] = bias ? bias[k] : 0;
        }
        return init;
      },
      write(sol) {
        const nw = new Float32Array(o * d0);
        const nb = new Float32Array(o);
        for (let k = 0; k < o; k++) {
          for (let f = 0; f < d0; f++) nw[k * d0 + f] = sol[f * o + k];
          nb[k] = sol[d0 * o + k];
        }
        setNodeWeight(g, node, 1, floatTensor('', wd, nw, w.dataType), `${node.input[1]}_refit`);
        setNodeWeight(g, node, 2, floatTensor('', [o], nb, w.dataType), `${node.name || 'conv'}_bias_refit`);
      },
    };
  }
  const gemm = node.opType === 'Gemm';
  if (!gemm && node.opType !== 'MatMul') return `${node.opType} layers are not re-fitted`;
  if (wd.length !== 2 || (gemm && attrs.int('transA', 0) !== 0)) return 'its weight layout is not supported for re-fitting';
  const transB = gemm && attrs.int('transB', 0) !== 0;
  const [k0, n] = transB ? [wd[1], wd[0]] : wd;
  const alpha = gemm ? attrs.float('alpha', 1) : 1;
  const beta = gemm ? attrs.float('beta', 1) : 1;
  if (bias && bias.length !== n) return 'its bias is not one value per output';
  const withBias = gemm;
  const d = k0 + (withBias ? 1 : 0);
  const rowsOf = (t: HostTensor) => t.data.length / t.dims[t.dims.length - 1] / t.dims[0];
  return {
    node,
    features: d,
    targets: n,
    rowsPerItem: (y) => y.slice(1, -1).reduce((p, v) => p * v, 1),
    gather(x, b, pos, row) {
      const data = x.data as Float32Array;
      const base = (b * rowsOf(x) + pos) * k0;
      for (let i = 0; i < k0; i++) row[i] = data[base + i];
      if (withBias) row[k0] = 1;
    },
    target(y, b, pos, out) {
      const width = y.dims[y.dims.length - 1];
      const data = y.data as Float32Array;
      const base = (b * rowsOf(y) + pos) * width;
      for (let k = 0; k < n; k++) out[k] = data[base + pick(k)];
    },
    initial() {
      const init = new Float64Array(d * n);
      for (let i = 0; i < k0; i++) for (let k = 0; k < n; k++) init[i * n + k] = alpha * weights[transB ? k * k0 + i : i * n + k];
      if (withBias) for (let k = 0; k < n; k++) init[k0 * n + k] = bias ? beta * bias[k] : 0;
      return init;
    },
    write(sol) {
      const nw = new Float32Array(k0 * n);
      for (let i = 0; i < k0; i++) for (let k = 0; k < n; k++) nw[transB ? k * k0 + i : i * n + k] = sol[i * n + k];
      setNodeWeight(g, node, 1, floatTensor('', wd, nw, w.dataType), `${node.input[1]}_refit`);
      if (!withBias) return;
      setNodeWeight(g, node, 2, floatTensor('', [n], Float32Array.from({ length: n }, (_, k) => sol[k0 * n + k]), w.dataType), `${node.name || 'gemm'}_bias_refit`);
      node.attribute = node.attribute.filter((a) => a.name !== 'alpha' && a.name !== 'beta');
    },
  };
}
