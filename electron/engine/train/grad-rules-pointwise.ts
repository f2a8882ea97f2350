/** Gradients of element-wise operators: activations (masks and derivatives) and broadcasting arithmetic. */
import type { GradContext, GradRule } from './grad-rule';

function where(c: GradContext, cond: string, yes: string, no: string): string {
  return c.e.op1('Where', [cond, yes, no]);
}

/** Relu: the gradient passes where the input was positive. */
export const reluGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  c.give(0, where(c, e.op1('Greater', [node.input[0], e.scalar(0)]), dY, e.scalar(0)));
};

/** LeakyRelu: slope alpha below zero. */
export const leakyReluGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  c.give(0, where(c, e.op1('Greater', [node.input[0], e.scalar(0)]), dY, e.op1('Mul', [dY, e.scalar(c.float('alpha', 0.01))])));
};

/** Clip (min and max as inputs, opset 11+): the gradient passes strictly inside the range. */
export const clipGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const [x, lo, hi] = node.input;
  let mask: string | undefined;
  if (lo) mask = e.op1('Greater', [x, lo]);
  if (hi) {
    const under = e.op1('Less', [x, hi]);
    mask = mask ? e.op1('And', [mask, under]) : under;
  }
  c.give(0, mask ? where(c, mask, dY, e.scalar(0)) : dY);
};

/** Sigmoid: y·(1 − y). */
export const sigmoidGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const y = node.output[0];
  c.give(0, e.op1('Mul', [dY, e.op1('Mul', [y, e.op1('Sub', [e.scalar(1), y])])]));
};

/** Tanh: 1 − y². */
export const tanhGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const y = node.output[0];
  c.give(0, e.op1('Mul', [dY, e.op1('Sub', [e.scalar(1), e.op1('Mul', [y, y])])]));
};

/** HardSigmoid: alpha where 0 < alpha·x + beta < 1. */
export const hardSigmoidGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const alpha = c.float('alpha', 0.2);
  const t = e.op1('Add', [e.op1('Mul', [node.input[0], e.scalar(alpha)]), e.scalar(c.float('beta', 0.5))]);
  const inside = e.op1('And', [e.op1('Greater', [t, e.scalar(0)]), e.op1('Less', [t, e.scalar(1)])]);
  c.give(0, where(c, inside, e.op1('Mul', [dY, e.scalar(alpha)]), e.scalar(0)));
};

/** HardSwish: x·hardsigmoid(x) with alpha 1/6, beta 0.5 → 0 below −3, 1 above 3, (2x + 3)/6 between. */
export const hardSwishGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const x = node.input[0];
  const mid = e.op1('Add', [e.op1('Mul', [x, e.scalar(1 / 3)]), e.scalar(0.5)]);
  const slope = where(c, e.op1('Less', [x, e.scalar(-3)]), e.scalar(0), where(c, e.op1('Greater', [x, e.scalar(3)]), e.scalar(1), mid));
  c.give(0, e.op1('Mul', [dY, slope]));
};

/** Add, Sub: the gradient summed over broadcast axes (negated for Sub's second operand). */
export const addSubGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY) return;
  const { e, node } = c;
  const ys = c.shape(node.output[0]);
  for (let i = 0; i < 2; i++) {
    if (!c.needs(i)) continue;
    const g = e.reduceTo(dY, ys, node.input[i], c.shape(node.input[i]));
    c.give(i, node.opType === 'Sub' && i === 1 ? e.op1('Neg', [g]) : g);
  }
};

/** Sum (variadic): every operand gets the gradient, summed over its broadcast axes. */
export const sumGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY) return;
  const ys = c.shape(c.node.output[0]);
  c.node.input.forEach((x, i) => {
    if (c.needs(i)) c.give(i, c.e.reduceTo(dY, ys, x, c.shape(x)));
  });
};

/** Mul: each operand gets the gradient times the other. */
export const mulGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY) return;
  const { e, node } = c;
  const ys = c.shape(node.output[0]);
  const [a, b] = node.input;
  if (c.needs(0)) c.give(0, e.reduceTo(e.op1('Mul', [dY, b]), ys, a, c.shape(a)));
  if (c.needs(1)) c.give(1, e.reduceTo(e.op1('Mul', [dY, a]), ys, b, c.shape(b)));
};

/** Div: dA = dY / B, dB = −dY·Y / B. */
export const divGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY) return;
  const { e, node } = c;
  const ys = c.shape(node.output[0]);
  const [a, b] = node.input;
  if (c.needs(0)) c.give(0, e.reduceTo(e.op1('Div', [dY, b]), ys, a, c.shape(a)));
  if (c.needs(1)) {
    const g = e.op1('Neg', [e.op1('Div', [e.op1('Mul', [dY, node.output[0]]), b])]);
    c.give(1, e.reduceTo(g, ys, b, c.shape(b)));
  }
};

/** Identity, Dropout (inference): the gradient passes unchanged. */
export const passGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (dY && c.needs(0)) c.give(0, dY);
};
