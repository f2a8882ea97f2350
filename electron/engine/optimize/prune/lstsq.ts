/** Ridge least squares by normal equations: accumulate AᵀA and AᵀY row by row, solve with Cholesky (float64). */
import { StudioError } from '../../../../shared/api/errors';

/** The normal equations of `min ‖Y − A·W‖² + λ‖W − W₀‖²` for D features and O targets. */
export class NormalEquations {
  /** AᵀA, upper triangle filled while accumulating */
  readonly gram: Float64Array;
  /** AᵀY, D × O row-major */
  readonly rhs: Float64Array;
  rows = 0;
  /** Σ y² over all rows and targets */
  yy = 0;

  constructor(
    readonly features: number,
    readonly targets: number,
  ) {
    this.gram = new Float64Array(features * features);
    this.rhs = new Float64Array(features * targets);
  }

  /** Adds one row: features `a` (length D) and targets `y` (length O). */
  addRow(a: ArrayLike<number>, y: ArrayLike<number>): void {
    const d = this.features;
    const o = this.targets;
    const g = this.gram;
    const r = this.rhs;
    for (let i = 0; i < d; i++) {
      const ai = a[i];
      if (ai === 0) continue;
      const gi = i * d;
      for (let j = i; j < d; j++) g[gi + j] += ai * a[j];
      const ri = i * o;
      for (let k = 0; k < o; k++) r[ri + k] += ai * y[k];
    }
    for (let k = 0; k < o; k++) this.yy += y[k] * y[k];
    this.rows++;
  }

  /** Adds another accumulator's rows to this one (same sizes). */
  merge(other: NormalEquations): void {
    for (let i = 0; i < this.gram.length; i++) this.gram[i] += other.gram[i];
    for (let i = 0; i < this.rhs.length; i++) this.rhs[i] += other.rhs[i];
    this.rows += other.rows;
    this.yy += other.yy;
  }

  /** @returns ‖Y − A·W‖² for a solution W (D × O), from the accumulated sums. */
  residual(w: Float64Array): number {
    const d = this.features;
    const o = this.targets;
    let cross = 0;
    for (let i = 0; i < d * o; i++) cross += w[i] * this.rhs[i];
    let quad = 0;
    const gw = new Float64Array(o);
    for (let i = 0; i < d; i++) {
      gw.fill(0);
      for (let j = 0; j < d; j++) {
        const gij = j >= i ? this.gram[i * d + j] : this.gram[j * d + i];
        if (gij === 0) continue;
        for (let k = 0; k < o; k++) gw[k] += gij * w[j * o + k];
      }
      for (let k = 0; k < o; k++) quad += w[i * o + k] * gw[k];
    }
    return Math.max(0, this.yy - 2 * cross + quad);
  }

  /**
   * Solves the ridge problem pulled toward `w0`.
   * @param w0 - the starting weights (D × O); features without data keep them
   * @param alpha - λ as a fraction of the mean diagonal of AᵀA
   * @returns W (D × O)
   * @throws StudioError `INTERNAL` when the system is not positive definite (it always is with λ > 0)
   */
  solve(w0: Float64Array, alpha: number): Float64Array {
    const d = this.features;
    const o = this.targets;
    let trace = 0;
    for (let i = 0; i < d; i++) trace += this.gram[i * d + i];
    const lambda = Math.max(1e-12, (alpha * trace) / d);
    const l = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) l[j * d + i] = this.gram[i * d + j] + (i === j ? lambda : 0);
    cholesky(l, d);
    const b = new Float64Array(d * o);
    for (let i = 0; i < d * o; i++) b[i] = this.rhs[i] + lambda * w0[i];
    solveCholesky(l, d, b, o);
    return b;
  }
}

/** In-place Cholesky of a symmetric matrix stored in its lower triangle (row-major): L·Lᵀ. */
function cholesky(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j];
    for (let k = 0; k < j; k++) s -= a[rj + k] * a[rj + k];
    if (!(s > 0)) throw new StudioError('INTERNAL', 'The least-squares system is not positive definite.');
    const d = Math.sqrt(s);
    a[rj + j] = d;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= a[ri + k] * a[rj + k];
      a[ri + j] = t / d;
    }
  }
}

/** Solves L·Lᵀ·X = B in place for B (n × m, row-major). */
function solveCholesky(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k];
      if (lik === 0) continue;
      for (let c = 0; c < m; c++) b[i * m + c] -= lik * b[k * m + c];
    }
    const d = l[ri + i];
    for (let c = 0; c < m; c++) b[i * m + c] /= d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const lki = l[k * n + i];
      if (lki === 0) continue;
      for (let c = 0; c < m; c++) b[i * m + c] -= lki * b[k * m + c];
    }
    const d = l[i * n + i];
    for (let c = 0; c < m; c++) b[i * m + c] /= d;
  }
}
