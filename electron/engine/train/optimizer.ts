/** Optimizers applied between training steps, on the weights held in the engine (SGD with momentum, Adam). */

export interface OptimizerSettings {
  kind: 'sgd' | 'adam';
  learningRate: number;
  /** SGD's momentum (0.9 by default) */
  momentum?: number;
  /** L2 weight decay added to each gradient (0 by default) */
  weightDecay?: number;
}

/** Updates named weights in place from their gradients. */
export class Optimizer {
  private readonly state = new Map<string, { m: Float32Array; v?: Float32Array }>();
  private steps = 0;

  /** The learning rate for the next steps (a schedule changes it between steps). */
  learningRate: number;

  constructor(readonly settings: OptimizerSettings) {
    this.learningRate = settings.learningRate;
  }

  /**
   * One step.
   * @param weights - name → values (updated in place)
   * @param grads - name → gradient of the loss (same length)
   */
  step(weights: ReadonlyMap<string, Float32Array>, grads: ReadonlyMap<string, Float32Array>): void {
    this.steps++;
    const { kind, momentum = 0.9, weightDecay = 0 } = this.settings;
    const lr = this.learningRate;
    const b1 = 0.9;
    const b2 = 0.999;
    const eps = 1e-8;
    const c1 = 1 - b1 ** this.steps;
    const c2 = 1 - b2 ** this.steps;
    for (const [name, w] of weights) {
      const g = grads.get(name);
      if (!g) continue;
      let s = this.state.get(name);
      if (!s) {
        s = kind === 'adam' ? { m: new Float32Array(w.length), v: new Float32Array(w.length) } : { m: new Float32Array(w.length) };
        this.state.set(name, s);
      }
      const m = s.m;
      if (kind === 'sgd') {
        for (let i = 0; i < w.length; i++) {
          const gi = g[i] + weightDecay * w[i];
          m[i] = momentum * m[i] + gi;
          w[i] -= lr * m[i];
        }
      } else {
        const v = s.v as Float32Array;
        for (let i = 0; i < w.length; i++) {
          const gi = g[i] + weightDecay * w[i];
          m[i] = b1 * m[i] + (1 - b1) * gi;
          v[i] = b2 * v[i] + (1 - b2) * gi * gi;
          w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
        }
      }
    }
  }
}
