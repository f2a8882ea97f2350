/** Specs of graph edits: each leaves a model onnxruntime runs, with the expected numbers. */
import { clone, equals } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { graph, model, node, runModel, tensor, value } from '../../../../test/engine/helpers/build-model';
import { StudioError } from '../../../../shared/api/errors';
import { DataType, ModelProtoSchema, type ModelProto } from '../proto';
import { addInitializer, insertNode, removeNode, renameValue, replaceInitializer, rewire } from './edits';
import { ModelIR } from './model-ir';
import { validateGraph } from './validate';

const X = { x: { dims: [2], data: [-1, 2] } };

/** x → Relu → a → Identity → i → Add(W) → b → Mul(c) → y, with c a Constant node. */
function chain(): ModelProto {
  return model(
    graph({
      nodes: [
        node('Relu', ['x'], ['a'], {}, 'relu'),
        node('Identity', ['a'], ['i'], {}, 'identity'),
        node('Add', ['i', 'W'], ['b'], {}, 'add'),
        node('Constant', [], ['c'], { value: tensor('', [1], [3]) }, 'const'),
        node('Mul', ['b', 'c'], ['y'], {}, 'mul'),
      ],
      inputs: [value('x', [2])],
      outputs: [value('y', [2])],
      initializers: [tensor('W', [2], [1, 2])],
    }),
  );
}

/** y = If(sum(x) > 0) then a + W else -a, with a = Relu(x). */
function ifModel(): ModelProto {
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

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof StudioError ? err.code : 'not a StudioError';
  }
  return undefined;
}

describe('graph edits', () => {
  it('the unedited chain computes (relu(x) + W) * 3', async () => {
    expect((await runModel(chain(), X)).y).toEqual([3, 12]);
  });

  it('inserts a node after a value and rewires its readers to the new output', async () => {
    const ir = new ModelIR(chain());
    const g = ir.graph;
    const two = addInitializer(g, tensor(g.uniqueName('two'), [], [2]));
    const doubled = g.uniqueName('a_doubled');
    const mul = insertNode(g, node('Mul', ['a', two.name], [doubled]));
    expect(g.indexOf(mul)).toBe(1);
    expect(mul.name).not.toBe('');
    expect(rewire(g, 'a', doubled, { except: [mul] })).toBe(1);
    expect(validateGraph(g)).toEqual([]);
    expect((await runModel(ir.toProto(), X)).y).toEqual([3, 18]);
  });

  it('re-sorts the nodes when a rewired reader comes before the new producer', async () => {
    const ir = new ModelIR(chain());
    const g = ir.graph;
    const late = insertNode(g, node('Neg', ['c'], ['minus_c']));
    expect(g.indexOf(late)).toBe(4);
    rewire(g, 'i', 'minus_c');
    expect(validateGraph(g)).toEqual([]);
    expect(g.indexOf(late)).toBeLessThan(g.indexOf(g.producer('b')!));
    expect((await runModel(ir.toProto(), X)).y).toEqual([-6, -3]);
  });

  it('removes a node and wires its readers to a replacement', async () => {
    const ir = new ModelIR(chain());
    const g = ir.graph;
    removeNode(g, g.producer('i')!, 'a');
    expect(g.nodes.map((n) => n.name)).toEqual(['relu', 'add', 'const', 'mul']);
    expect(g.consumers('a').map((n) => n.name)).toEqual(['add']);
    expect(validateGraph(g)).toEqual([]);
    expect((await runModel(ir.toProto(), X)).y).toEqual([3, 12]);
  });

  it('keeps the graph output name when the removed node produced it', async () => {
    const m = chain();
    m.graph!.node.push(node('Identity', ['y'], ['out'], {}, 'last'));
    m.graph!.output[0].name = 'out';
    const ir = new ModelIR(m);
    removeNode(ir.graph, ir.graph.producer('out')!, 'y');
    expect(ir.graph.producer('out')?.name).toBe('mul');
    expect(ir.graph.isNameUsed('y')).toBe(false);
    expect(validateGraph(ir.graph)).toEqual([]);
    expect((await runModel(ir.toProto(), X)).out).toEqual([3, 12]);
  });

  it('refuses edits that would break the model, and changes nothing then', () => {
    const m = chain();
    const before = clone(ModelProtoSchema, m);
    const g = new ModelIR(m).graph;
    expect(codeOf(() => removeNode(g, g.producer('i')!))).toBe('INVALID_REQUEST');
    expect(codeOf(() => removeNode(g, g.producer('a')!, 'b'))).toBe('INVALID_REQUEST');
    expect(codeOf(() => rewire(g, 'a', 'y'))).toBe('INVALID_REQUEST');
    expect(codeOf(() => rewire(g, 'a', 'undefined_name'))).toBe('INVALID_REQUEST');
    expect(codeOf(() => insertNode(g, node('Relu', ['x'], ['b'])))).toBe('INVALID_REQUEST');
    expect(codeOf(() => insertNode(g, node('Relu', ['b'], ['z']), { before: g.producer('a') }))).toBe('INVALID_REQUEST');
    expect(codeOf(() => addInitializer(g, tensor('W', [1], [0])))).toBe('INVALID_REQUEST');
    expect(codeOf(() => replaceInitializer(g, 'b', tensor('', [1], [0])))).toBe('INVALID_REQUEST');
    expect(codeOf(() => replaceInitializer(g, 'x', tensor('', [1], [0])))).toBe('INVALID_REQUEST');
    expect(equals(ModelProtoSchema, m, before)).toBe(true);
  });

  it('renames a graph output to a graph input only when asked', async () => {
    const m = model(graph({ nodes: [node('Identity', ['x'], ['y'])], inputs: [value('x', [2])], outputs: [value('y', [2])] }));
    const g = new ModelIR(m).graph;
    expect(codeOf(() => removeNode(g, g.nodes[0], 'x'))).toBe('INVALID_REQUEST');
    removeNode(g, g.nodes[0], 'x', { renameGraphOutputs: true });
    expect(g.outputs[0].name).toBe('x');
    expect(validateGraph(g)).toEqual([]);
    expect((await runModel(m, X)).x).toEqual([-1, 2]);
  });

  it('replaces a weight stored as an initializer or as a Constant node', async () => {
    const ir = new ModelIR(chain());
    const g = ir.graph;
    const oldW = replaceInitializer(g, 'W', tensor('ignored', [2], [10, 20]));
    expect(oldW?.name).toBe('W');
    expect(g.constantTensor('W')?.name).toBe('W');
    const oldC = replaceInitializer(g, 'c', tensor('', [1], [-1]));
    expect(oldC?.dims).toEqual([1n]);
    expect(validateGraph(g)).toEqual([]);
    expect((await runModel(ir.toProto(), X)).y).toEqual([-10, -22]);
  });

  it('turns a scalar Constant (value_float) into a tensor-valued one', async () => {
    const m = chain();
    m.graph!.node[3] = node('Constant', [], ['c'], { value_float: 5 }, 'const');
    const ir = new ModelIR(m);
    expect((await runModel(ir.toProto(), X)).y).toEqual([5, 20]);
    expect(replaceInitializer(ir.graph, 'c', tensor('', [], [2]))).toBeUndefined();
    expect((await runModel(ir.toProto(), X)).y).toEqual([2, 8]);
  });

  it('retypes the input record of an IR 3 initializer and adds one for a new initializer', async () => {
    const m = chain();
    m.irVersion = 3n;
    m.opsetImport[0].version = 8n;
    m.graph!.input.push(value('W', [2]));
    const ir = new ModelIR(m);
    replaceInitializer(ir.graph, 'W', tensor('W', [1], [7]));
    const shape = ir.graph.inputs[1].type?.value.case === 'tensorType' ? ir.graph.inputs[1].type.value.value.shape : undefined;
    expect(shape?.dim.map((d) => d.value.value)).toEqual([1n]);
    addInitializer(ir.graph, tensor('unused_weight', [1], [0], DataType.INT64));
    expect(ir.graph.inputs.map((v) => v.name)).toEqual(['x', 'W', 'unused_weight']);
    expect((await runModel(ir.toProto(), X)).y).toEqual([21, 27]);
  });

  it('rewires outer-scope reads inside If branches', async () => {
    const ir = new ModelIR(ifModel());
    const g = ir.graph;
    expect((await runModel(ir.toProto(), X)).y).toEqual([1, 4]);
    const sq = insertNode(g, node('Mul', ['a', 'a'], [g.uniqueName('a_sq')]));
    rewire(g, 'a', sq.output[0], { except: [sq] });
    const thenG = g.subgraphs(g.producer('y')!)[0];
    expect(thenG.nodes[0].input).toEqual(['a_sq', 'W']);
    expect(g.implicitInputs(g.producer('y')!)).toEqual(['a_sq', 'W']);
    expect(validateGraph(g)).toEqual([]);
    expect((await runModel(ir.toProto(), X)).y).toEqual([1, 6]);
    expect((await runModel(ir.toProto(), { x: { dims: [2], data: [-1, -2] } })).y).toEqual([-0, -0]);
  });

  it('renames a value everywhere, subgraphs included', async () => {
    const ir = new ModelIR(ifModel());
    renameValue(ir.graph, 'a', 'activation');
    expect(ir.graph.producer('activation')?.name).toBe('relu');
    expect(codeOf(() => renameValue(ir.graph, 'activation', 'W'))).toBe('INVALID_REQUEST');
    expect(validateGraph(ir.graph)).toEqual([]);
    expect((await runModel(ir.toProto(), X)).y).toEqual([1, 4]);
  });

  it('removes a node inside a branch, keeping the branch output name', async () => {
    const m = ifModel();
    const thenProto = m.graph!.node[3].attribute[0].g!;
    thenProto.node.push(node('Identity', ['t'], ['t2']));
    thenProto.output[0].name = 't2';
    const ir = new ModelIR(m);
    const [thenG, elseG] = ir.graph.subgraphs(ir.graph.producer('y')!);
    removeNode(thenG, thenG.nodes[1], 't');
    expect(thenG.nodes[0].output).toEqual(['t2']);
    expect(codeOf(() => removeNode(elseG, elseG.nodes[0], 'a'))).toBe('INVALID_REQUEST');
    expect(validateGraph(ir.graph)).toEqual([]);
    expect((await runModel(ir.toProto(), X)).y).toEqual([1, 4]);
  });
});
