/** Error analysis: float vs quantized activations of every quantized tensor on the same data (SNR, cosine, max abs). */
import type { ExternalRef } from '../../onnx/external-data';
import { DataType, type ModelProto, type TensorProto } from '../../onnx/proto';
import type { FeedSource } from './calibration-data';
import { floatData, type RunContext } from './collect-stats';

/** A tensor to compare: its name in the float model and the name of the value standing for it in the quantized one. */
export interface ComparePair {
  /** the float model's tensor (the table's key) */
  tensor: string;
  quantName: string;
  /** the node producing it in the float model (overlay key) */
  node: string;
  op: string;
  kind: 'activation' | 'output';
}

/** One row of the error table. */
export interface ErrorRow {
  tensor: string;
  node: string;
  op: string;
  kind: 'activation' | 'output';
  /** 10·log10(Σ ref² / Σ (q − ref)²); null when identical (infinite) */
  snrDb: number | null;
  cosine: number;
  maxAbs: number;
}

class Accumulator {
  ref2 = 0;
  err2 = 0;
  q2 = 0;
  dot = 0;
  maxAbs = 0;

  add(ref: Float32Array, q: Float32Array): void {
    const n = Math.min(ref.length, q.length);
    for (let i = 0; i < n; i++) {
      const a = ref[i];
      const b = q[i];
      const d = b - a;
      this.ref2 += a * a;
      this.q2 += b * b;
      this.dot += a * b;
      this.err2 += d * d;
      const ad = d < 0 ? -d : d;
      if (ad > this.maxAbs) this.maxAbs = ad;
    }
  }

  snr(): number | null {
    if (this.err2 === 0) return null;
    if (this.ref2 === 0) return -Infinity;
    return 10 * Math.log10(this.ref2 / this.err2);
  }

  cosine(): number {
    const d = Math.sqrt(this.ref2 * this.q2);
    return d === 0 ? (this.ref2 === this.q2 ? 1 : 0) : this.dot / d;
  }
}

export interface ModelRef {
  proto: ModelProto;
  external: ReadonlyMap<TensorProto, ExternalRef>;
}

/**
 * Runs both models on the same batches and compares every pair.
 * @param float - the float model (tensor names of `pairs[].tensor`)
 * @param quant - the quantized model (names of `pairs[].quantName`)
 * @param source - the data (all of its items are used: give a limited source)
 * @returns the rows sorted worst first (lowest SNR)
 */
export async function analyzeError(float: ModelRef, quant: ModelRef, pairs: ComparePair[], source: FeedSource, ctx: RunContext): Promise<ErrorRow[]> {
  const inputs = new Set(float.proto.graph?.input.map((o) => o.name) ?? []);
  const usable = pairs.filter((p) => !inputs.has(p.tensor));
  const acc = new Map<ComparePair, Accumulator>(usable.map((p) => [p, new Accumulator()]));
  // one model holding both sides (an isolation probe) runs once
  const same = float === quant;
  const refNames = [...new Set(usable.map((p) => p.tensor))];
  const qNames = [...new Set(usable.map((p) => p.quantName))];
  const extra = (m: ModelRef, names: string[]) => {
    const outs = new Set(m.proto.graph?.output.map((o) => o.name) ?? []);
    return names.filter((n) => !outs.has(n)).map((name) => ({ name, elemType: DataType.FLOAT }));
  };
  const fr = await ctx.runtime.openTensorRunner(float.proto, float.external, { extraOutputs: extra(float, same ? [...refNames, ...qNames] : refNames), what: 'the float model', signal: ctx.signal });
  try {
    const qr = same ? fr : await ctx.runtime.openTensorRunner(quant.proto, quant.external, { extraOutputs: extra(quant, qNames), what: 'the quantized model', signal: ctx.signal });
    try {
      let done = 0;
      for await (const batch of source.batches(ctx.signal)) {
        ctx.throwIfCancelled?.();
        const a = await fr.run(batch.inputs, same ? [...new Set([...refNames, ...qNames])] : refNames);
        const b = same ? a : await qr.run(batch.inputs, qNames);
        for (const p of usable) (acc.get(p) as Accumulator).add(floatData(a[p.tensor]), floatData(b[p.quantName]));
        done += batch.count;
        ctx.progress(done / source.count, `error analysis: ${done} of ${source.count} items`);
      }
    } finally {
      if (!same) await qr.release();
    }
  } finally {
    await fr.release();
  }
  ctx.throwIfCancelled?.();
  const rows = usable.map((p) => {
    const s = acc.get(p) as Accumulator;
    return { tensor: p.tensor, node: p.node, op: p.op, kind: p.kind, snrDb: s.snr(), cosine: s.cosine(), maxAbs: s.maxAbs };
  });
  return rows.sort((x, y) => (x.snrDb ?? Infinity) - (y.snrDb ?? Infinity));
}
