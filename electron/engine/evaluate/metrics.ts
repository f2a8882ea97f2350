/** Evaluation metrics: top-k accuracy and the confusion matrix, fidelity against a reference, expected-output match. */
import type { ClassificationMetricsDto, ExpectedMatchDto, FidelityMetricsDto } from '../../../shared/api/evaluate-dto';
import type { HostTensor } from '../runtime/backend';
import { countElements, valueAt } from '../runtime/host-tensor';

/**
 * How a tensor splits into per-item class-score rows: `[C]`, `[N, C]` or `[N, C, 1, 1]` with C > 1.
 * @param batched - true when axis 0 is the batch axis (the tensor holds one row per item)
 * @returns rows and classes, or null when the output is not shaped like class scores
 */
export function classRows(t: Pick<HostTensor, 'dims' | 'dtype'>, batched = true): { rows: number; classes: number } | null {
  if (t.dtype === 'string' || t.dtype === 'bool') return null;
  const dims = t.dims.filter((d, i) => !(i >= 2 && d === 1));
  if (dims.length === 1 && dims[0] > 1) return { rows: 1, classes: dims[0] };
  if (dims.length === 2 && dims[1] > 1 && (batched || dims[0] === 1)) return { rows: dims[0], classes: dims[1] };
  return null;
}

/** @returns the values of row `r` (row-major, `width` values per row) as numbers; NaN stays NaN. */
export function rowValues(t: HostTensor, r: number, width: number): Float64Array {
  const out = new Float64Array(width);
  const base = r * width;
  for (let i = 0; i < width; i++) out[i] = valueAt(t, base + i);
  return out;
}

/** @returns the index of the largest score (the first on ties; NaN never wins). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v > bestValue) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}

/**
 * The rank of a class in a row sorted by descending score, ties broken by lower index first (a stable sort).
 * @returns 0 for the top class
 */
export function rankOf(row: ArrayLike<number>, index: number): number {
  const v = Number.isNaN(row[index]) ? -Infinity : row[index];
  let rank = 0;
  for (let i = 0; i < row.length; i++) {
    const w = Number.isNaN(row[i]) ? -Infinity : row[i];
    if (w > v || (w === v && i < index)) rank++;
  }
  return rank;
}

/** Classes a confusion matrix shows at most (a 1000-class matrix is neither readable nor cheap to send). */
export const MAX_CONFUSION_CLASSES = 40;

/** Counts top-1/top-5 hits and the confusion matrix of a classifier (sparse: only the cells that occur). */
export class ClassificationAccumulator {
  private readonly cells = new Map<number, number>();
  private readonly rowSums = new Map<number, number>();
  private readonly colSums = new Map<number, number>();
  private readonly correct = new Map<number, number>();
  private count = 0;
  private top1 = 0;
  private top5 = 0;

  /**
   * @param classCount - the number of classes the model scores
   * @param classNames - names by index (the dataset's), padded with `class N`
   */
  constructor(
    readonly classCount: number,
    private readonly classNames: readonly string[] | null,
  ) {}

  /**
   * Adds one item.
   * @param scores - its class scores
   * @param label - its true class
   * @returns false (and counts nothing) when the label is not one of the model's classes
   */
  add(scores: ArrayLike<number>, label: number): boolean {
    if (!Number.isInteger(label) || label < 0 || label >= this.classCount) return false;
    const predicted = argmax(scores);
    this.count++;
    if (predicted === label) {
      this.top1++;
      this.correct.set(label, (this.correct.get(label) ?? 0) + 1);
    }
    if (rankOf(scores, label) < 5) this.top5++;
    const key = label * this.classCount + predicted;
    this.cells.set(key, (this.cells.get(key) ?? 0) + 1);
    this.rowSums.set(label, (this.rowSums.get(label) ?? 0) + 1);
    this.colSums.set(predicted, (this.colSums.get(predicted) ?? 0) + 1);
    return true;
  }

  /** The classes the matrix shows: all when few, else those that occur most (as label or prediction). */
  private shownClasses(): { classes: number[]; note: string | null } {
    if (this.classCount <= MAX_CONFUSION_CLASSES) return { classes: Array.from({ length: this.classCount }, (_, i) => i), note: null };
    const weight = new Map<number, number>();
    for (const [c, n] of this.rowSums) weight.set(c, (weight.get(c) ?? 0) + n);
    for (const [c, n] of this.colSums) weight.set(c, (weight.get(c) ?? 0) + n);
    const occurring = [...weight.keys()];
    const classes = occurring
      .sort((a, b) => (weight.get(b) ?? 0) - (weight.get(a) ?? 0) || a - b)
      .slice(0, MAX_CONFUSION_CLASSES)
      .sort((a, b) => a - b);
    const note =
      occurring.length > classes.length
        ? `${classes.length} of the ${occurring.length} classes that occur (of ${this.classCount}), those with the most items`
        : `the ${classes.length} classes that occur, of ${this.classCount}`;
    return { classes, note };
  }

  result(): ClassificationMetricsDto {
    const { classes, note } = this.shownClasses();
    const confusion = classes.map((t) => classes.map((p) => this.cells.get(t * this.classCount + p) ?? 0));
    const perClass = [...this.rowSums.keys()]
      .sort((a, b) => a - b)
      .map((index) => {
        const count = this.rowSums.get(index) ?? 0;
        const correct = this.correct.get(index) ?? 0;
        return { index, name: this.classNames?.[index] ?? `class ${index}`, count, correct, recall: count ? correct / count : null };
      });
    return {
      count: this.count,
      top1: this.count ? this.top1 / this.count : NaN,
      top5: this.classCount >= 5 && this.count ? this.top5 / this.count : null,
      classCount: this.classCount,
      confusionClasses: classes,
      confusion,
      confusionNote: note,
      perClass,
    };
  }
}

/** Compares a model's outputs with a reference model's, item by item. */
export class FidelityAccumulator {
  private count = 0;
  private agree = 0;
  private classified = 0;
  private cosineSum = 0;
  private signal = 0;
  private noise = 0;
  private maxAbs = 0;
  private absSum = 0;
  private elements = 0;

  /**
   * Adds a batch.
   * @param out - the model's output
   * @param ref - the reference's output for the same inputs
   * @param rows - items in the batch (axis 0); 1 for unbatched data
   * @throws Error when the shapes differ (a different model, not a variant)
   */
  add(out: HostTensor, ref: HostTensor, rows: number): void {
    const n = countElements(out.dims);
    if (n !== countElements(ref.dims)) {
      throw new Error(`the output has shape [${out.dims.join(', ')}] but the reference's is [${ref.dims.join(', ')}]`);
    }
    const width = n / rows;
    const classes = classRows(out) !== null;
    for (let r = 0; r < rows; r++) {
      const o = rowValues(out, r, width);
      const e = rowValues(ref, r, width);
      let dot = 0;
      let oo = 0;
      let ee = 0;
      for (let i = 0; i < width; i++) {
        const d = o[i] - e[i];
        dot += o[i] * e[i];
        oo += o[i] * o[i];
        ee += e[i] * e[i];
        this.signal += e[i] * e[i];
        this.noise += d * d;
        const a = Math.abs(d);
        this.absSum += a;
        if (a > this.maxAbs || Number.isNaN(a)) this.maxAbs = Number.isNaN(a) ? NaN : Math.max(this.maxAbs, a);
      }
      this.elements += width;
      this.cosineSum += oo === 0 && ee === 0 ? 1 : oo === 0 || ee === 0 ? 0 : dot / Math.sqrt(oo * ee);
      if (classes) {
        this.classified++;
        if (argmax(o) === argmax(e)) this.agree++;
      }
      this.count++;
    }
  }

  result(): FidelityMetricsDto {
    return {
      count: this.count,
      agreementTop1: this.classified ? this.agree / this.classified : null,
      cosine: this.count ? this.cosineSum / this.count : NaN,
      snrDb: this.noise === 0 ? null : 10 * Math.log10(this.signal / this.noise),
      maxAbsError: this.maxAbs,
      meanAbsError: this.elements ? this.absSum / this.elements : NaN,
    };
  }
}

/** Checks outputs against the expected outputs of ONNX test data. */
export class ExpectedAccumulator {
  private count = 0;
  private matched = 0;
  private maxAbs = 0;
  private readonly failures: ExpectedMatchDto['failures'] = [];

  /** @param rtol - relative tolerance; @param atol - absolute tolerance (ONNX's backend tests use 1e-3 and 1e-7) */
  constructor(
    readonly rtol = 1e-3,
    readonly atol = 1e-7,
  ) {}

  /** Adds one item: every expected output must be present, equal in shape, and within tolerance. */
  add(item: string, outputs: Record<string, HostTensor>, expected: Record<string, HostTensor>): void {
    this.count++;
    let ok = true;
    for (const [name, exp] of Object.entries(expected)) {
      const out = outputs[name];
      const problem = out ? this.compare(out, exp) : 'the model did not produce it';
      if (problem) {
        ok = false;
        if (this.failures.length < 20) this.failures.push({ item, output: name, detail: problem });
      }
    }
    if (ok) this.matched++;
  }

  private compare(out: HostTensor, exp: HostTensor): string | null {
    if (out.dims.join(',') !== exp.dims.join(',')) return `shape [${out.dims.join(', ')}], expected [${exp.dims.join(', ')}]`;
    const n = countElements(exp.dims);
    if (Array.isArray(exp.data) || Array.isArray(out.data)) {
      for (let i = 0; i < n; i++) if (String((out.data as unknown[])[i]) !== String((exp.data as unknown[])[i])) return `element ${i} differs`;
      return null;
    }
    let worst = -1;
    let worstErr = 0;
    for (let i = 0; i < n; i++) {
      const o = valueAt(out, i);
      const e = valueAt(exp, i);
      if (Number.isNaN(e) && Number.isNaN(o)) continue;
      const err = o === e ? 0 : Math.abs(o - e);
      if (err > this.maxAbs || Number.isNaN(err)) this.maxAbs = Number.isNaN(err) ? Infinity : err;
      if (!(err <= this.atol + this.rtol * Math.abs(e)) && (worst < 0 || err > worstErr || Number.isNaN(err))) {
        worst = i;
        worstErr = err;
      }
    }
    return worst < 0 ? null : `element ${worst}: ${valueAt(out, worst)}, expected ${valueAt(exp, worst)} (|error| ${worstErr})`;
  }

  result(): ExpectedMatchDto {
    return { count: this.count, matched: this.matched, rtol: this.rtol, atol: this.atol, maxAbsError: this.maxAbs, failures: [...this.failures] };
  }
}

/**
 * Points on the Pareto front of (accuracy up, latency down).
 * @param points - one per variant; null accuracy points are left off the front
 * @returns their indices, by ascending latency
 */
export function paretoFront(points: ReadonlyArray<{ accuracy: number | null; latency: number }>): number[] {
  const idx = points.map((_, i) => i).filter((i) => points[i].accuracy !== null && Number.isFinite(points[i].latency));
  const front = idx.filter((i) => !idx.some((j) => j !== i && dominates(points[j], points[i])));
  return front.sort((a, b) => points[a].latency - points[b].latency);
}

function dominates(a: { accuracy: number | null; latency: number }, b: { accuracy: number | null; latency: number }): boolean {
  const aa = a.accuracy as number;
  const ba = b.accuracy as number;
  return aa >= ba && a.latency <= b.latency && (aa > ba || a.latency < b.latency);
}
