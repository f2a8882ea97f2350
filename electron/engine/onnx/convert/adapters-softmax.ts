/** Softmax, LogSoftmax and Hardmax at opset 13: one axis instead of a 2-D coercion at `axis` (default 1 before, -1 after). */
import type { Adapter, NodeStep } from './convert-context';

/**
 * Before opset 13 these ops flattened the input to 2-D at `axis` and normalized each row; from 13 they normalize along
 * `axis` alone. The two agree when `axis` is the last dimension; otherwise the old computation is rebuilt as
 * Flatten → op on the last axis → Reshape back to the input's shape.
 */
export const softmaxAxis13: Adapter = (step: NodeStep) => {
  const axis = step.int('axis', 1);
  const x = step.input(0);
  const rank = step.rank(x);
  if (axis === -1 || (rank !== undefined && (axis < 0 ? axis + rank : axis) === rank - 1)) {
    const explicit = step.attr('axis') !== undefined && axis === -1;
    step.set('axis', { i: -1 });
    return explicit ? undefined : 'axis set to the last dimension';
  }
  const flat = step.add('Flatten', [x], 'flat', { axis: { i: axis } });
  const shape = step.add('Shape', [x], 'shape');
  step.setInput(0, flat);
  step.set('axis', { i: -1 });
  const y = step.node.output[0];
  const rows = step.renameOutput(0, 'rows');
  step.addAfter('Reshape', [rows, shape], [y]);
  return '2-D coercion kept: Flatten → op → Reshape';
};

export const softmaxAxisDown: Adapter = (step: NodeStep) => {
  const axis = step.int('axis', -1);
  const rank = step.rank(step.input(0));
  const last = axis === -1 || (rank !== undefined && (axis < 0 ? axis + rank : axis) === rank - 1);
  if (!last) {
    step.refuse(`it normalizes along axis ${axis}, not the last one; the older version would flatten the trailing axes together.`);
  }
  const changed = step.attr('axis') === undefined;
  step.set('axis', { i: -1 });
  return changed ? 'default axis -1 made explicit' : undefined;
};
