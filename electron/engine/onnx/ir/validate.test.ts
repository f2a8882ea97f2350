/** Specs of the structural checks. */
import { describe, expect, it } from 'vitest';
import { graph, model, node, tensor, value } from '../../../../test/engine/helpers/build-model';
import { ModelIR } from './model-ir';
import { validateGraph } from './validate';

function check(nodes: ReturnType<typeof node>[], outputs = ['y'], extra: { initializers?: string[] } = {}) {
  const m = model(
    graph({
      nodes,
      inputs: [value('x', [1])],
      outputs: outputs.map((o) => value(o, [1])),
      initializers: (extra.initializers ?? []).map((n) => tensor(n, [1], [1])),
    }),
  );
  return validateGraph(new ModelIR(m).graph);
}

describe('validateGraph', () => {
  it('accepts a well-formed graph, initializers and optional empty inputs included', () => {
    expect(check([node('Clip', ['x', '', 'hi'], ['y'])], ['y'], { initializers: ['hi'] })).toEqual([]);
  });

  it('reports a read of an undefined tensor', () => {
    const problems = check([node('Add', ['x', 'ghost'], ['y'], {}, 'add')]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'undefined-input', node: 'add', tensor: 'ghost', graph: 'g' });
  });

  it('reports an undefined graph output', () => {
    expect(check([node('Relu', ['x'], ['y'])], ['y', 'missing']).map((p) => p.kind)).toEqual(['undefined-output']);
  });

  it('reports a name defined twice', () => {
    const problems = check([node('Relu', ['x'], ['y']), node('Neg', ['x'], ['y'])]);
    expect(problems.map((p) => [p.kind, p.tensor])).toEqual([['duplicate-definition', 'y']]);
    expect(check([node('Relu', ['x'], ['x2']), node('Neg', ['x2'], ['x'])], ['x']).map((p) => p.kind)).toContain('duplicate-definition');
  });

  it('tells an unsorted graph from a cyclic one', () => {
    expect(check([node('Neg', ['a'], ['y']), node('Relu', ['x'], ['a'])]).map((p) => p.kind)).toEqual(['unsorted']);
    const cyclic = check([node('Add', ['x', 'b'], ['a'], {}, 'p'), node('Relu', ['a'], ['b'], {}, 'q'), node('Neg', ['b'], ['y'])]);
    expect(cyclic.map((p) => p.kind)).toEqual(['cycle']);
    expect(cyclic[0].message).toMatch(/cycle/);
  });

  it('checks subgraphs against their outer scope', () => {
    const good = graph({ name: 'then', nodes: [node('Neg', ['x'], ['t'])], outputs: [value('t', [1])] });
    const bad = graph({ name: 'else', nodes: [node('Neg', ['nowhere'], ['e'])], outputs: [value('e', [1])] });
    const m = model(
      graph({
        nodes: [node('Constant', [], ['c'], { value: tensor('', [], [1]) }), node('Cast', ['c'], ['cond'], { to: { int: 9 } }), node('If', ['cond'], ['y'], { then_branch: good, else_branch: bad })],
        inputs: [value('x', [1])],
        outputs: [value('y', [1])],
      }),
    );
    const problems = validateGraph(new ModelIR(m).graph);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'undefined-input', graph: 'else', tensor: 'nowhere' });
  });
});
