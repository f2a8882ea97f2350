/** Specs of the graph IR: indexes, weights behind names, subgraphs and topological order. */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graph, model, node, tensor, value } from '../../../../test/engine/helpers/build-model';
import { StudioError } from '../../../../shared/api/errors';
import { decodeModel } from '../codec';
import { ModelIR } from './model-ir';

const DATA = '/usr/share/libonnx-testdata/data/node';

/** x → Relu → a; a + W → b; c = Constant; y = b * c */
function smallModel() {
  return model(
    graph({
      nodes: [
        node('Relu', ['x'], ['a'], {}, 'relu'),
        node('Add', ['a', 'W'], ['b'], {}, 'add'),
        node('Constant', [], ['c'], { value: tensor('', [1], [3]) }, 'const'),
        node('Mul', ['b', 'c'], ['y'], {}, 'mul'),
      ],
      inputs: [value('x', [2])],
      outputs: [value('y', [2])],
      initializers: [tensor('W', [2], [1, 2])],
    }),
  );
}

/** An If whose branches read `a` and `W` from the outer scope. */
function ifModel() {
  const thenBranch = graph({ name: 'then', nodes: [node('Add', ['a', 'W'], ['t'])], outputs: [value('t', [2])] });
  const elseBranch = graph({ name: 'else', nodes: [node('Neg', ['a'], ['e'])], outputs: [value('e', [2])] });
  return model(
    graph({
      nodes: [
        node('Relu', ['x'], ['a'], {}, 'relu'),
        node('ReduceSum', ['x'], ['s'], { keepdims: { int: 0 } }, 'sum'),
        node('Greater', ['s', 'zero'], ['cond'], {}, 'gt'),
        node('If', ['cond'], ['y'], { then_branch: thenBranch, else_branch: elseBranch }, 'if'),
      ],
      inputs: [value('x', [2])],
      outputs: [value('y', [2])],
      initializers: [tensor('W', [2], [1, 2]), tensor('zero', [], [0])],
    }),
  );
}

describe('Graph', () => {
  it('indexes producers, consumers, initializers and graph inputs/outputs', () => {
    const g = new ModelIR(smallModel()).graph;
    expect(g.producer('a')?.name).toBe('relu');
    expect(g.consumers('a').map((n) => n.name)).toEqual(['add']);
    expect(g.consumers('x').map((n) => n.name)).toEqual(['relu']);
    expect(g.initializer('W')?.dims).toEqual([2n]);
    expect(g.isInput('x')).toBe(true);
    expect(g.isOutput('y')).toBe(true);
    expect(g.runtimeInputs().map((v) => v.name)).toEqual(['x']);
    expect(g.indexOf(g.nodes[3])).toBe(3);
  });

  it('finds the weight behind a name, whether an initializer or a Constant node', () => {
    const g = new ModelIR(smallModel()).graph;
    expect(g.constantTensor('W')).toBe(g.initializers[0]);
    expect(g.constantTensor('c')).toBe(g.nodes[2].attribute[0].t);
    expect(g.constantTensor('b')).toBeUndefined();
    expect(g.constantTensor('x')).toBeUndefined();
    expect(g.constantTensor('nothing')).toBeUndefined();
  });

  it('rebuilds its indexes after invalidate()', () => {
    const g = new ModelIR(smallModel()).graph;
    expect(g.consumers('a')).toHaveLength(1);
    g.nodes.push(node('Sigmoid', ['a'], ['z']));
    g.invalidate();
    expect(g.consumers('a')).toHaveLength(2);
    expect(g.producer('z')?.opType).toBe('Sigmoid');
  });

  it('wraps If branches as nested graphs that see the outer scope', () => {
    const g = new ModelIR(ifModel()).graph;
    const ifNode = g.producer('y');
    expect(ifNode).toBeDefined();
    const [thenG, elseG] = g.subgraphs(ifNode!);
    expect(thenG.parent).toBe(g);
    expect(thenG.owner?.attribute).toBe('then_branch');
    expect(g.subgraphs(ifNode!)[0]).toBe(thenG);
    expect(thenG.isVisible('a')).toBe(true);
    expect(thenG.definesLocally('a')).toBe(false);
    expect(thenG.constantTensor('W')).toBe(g.initializer('W'));
    expect(g.implicitInputs(ifNode!)).toEqual(['a', 'W']);
    expect(g.implicitUsers('a').map((n) => n.name)).toEqual(['if']);
    expect(elseG.name).toBe('else');
    expect([...g.allGraphs()]).toHaveLength(3);
  });

  it('orders nodes topologically, keeping file order where it is valid', () => {
    const m = smallModel();
    const g = new ModelIR(m).graph;
    expect(g.topologicalOrder().map((n) => n.name)).toEqual(['relu', 'add', 'const', 'mul']);
    g.nodes.reverse();
    g.invalidate();
    expect(g.topologicalOrder().map((n) => n.name)).toEqual(['const', 'relu', 'add', 'mul']);
  });

  it('counts the outer-scope reads of subgraphs as dependencies', () => {
    const g = new ModelIR(ifModel()).graph;
    const relu = g.nodes.shift()!;
    g.nodes.push(relu);
    g.invalidate();
    expect(g.topologicalOrder().map((n) => n.name)).toEqual(['sum', 'gt', 'relu', 'if']);
  });

  it('reports a cycle with a StudioError naming the nodes', () => {
    const m = model(
      graph({
        nodes: [node('Add', ['x', 'q'], ['p'], {}, 'first'), node('Relu', ['p'], ['q'], {}, 'second')],
        inputs: [value('x', [1])],
        outputs: [value('q', [1])],
      }),
    );
    const g = new ModelIR(m).graph;
    const err = (() => {
      try {
        g.topologicalOrder();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('INVALID_MODEL');
    expect((err as StudioError).message).toMatch(/cycle.*"first".*"second"/);
  });

  it('hands out unique names across all graphs', () => {
    const g = new ModelIR(ifModel()).graph;
    const sub = g.subgraphs(g.producer('y')!)[0];
    expect(sub.uniqueName('t')).toBe('t_1');
    expect(g.uniqueName('t')).toBe('t_2');
    expect(g.uniqueName('fresh')).toBe('fresh');
    expect(g.uniqueName('fresh')).toBe('fresh_1');
    expect(g.uniqueNodeName('relu')).toBe('relu_1');
  });

  it.runIf(fs.existsSync(DATA))('walks the Loop body of a conformance model', () => {
    const ir = new ModelIR(decodeModel(fs.readFileSync(`${DATA}/test_loop11/model.onnx`)));
    const loop = ir.graph.nodes.find((n) => n.opType === 'Loop')!;
    const [body] = ir.graph.subgraphs(loop);
    expect(body.parent).toBe(ir.graph);
    expect(body.topologicalOrder()).toHaveLength(body.nodes.length);
    for (const n of body.nodes) for (const i of n.input) if (i) expect(body.isVisible(i)).toBe(true);
  });
});
