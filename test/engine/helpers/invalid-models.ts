/** One crafted model per validator rule, with the finding it must produce and whether onnxruntime loads it. */
import { create } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeType,
  DataType,
  TensorProtoSchema,
  ValueInfoProtoSchema,
  type ModelProto,
  type NodeProto,
} from '../../../electron/engine/onnx/proto';
import { graph, model, node, tensor, value } from './build-model';

/** A crafted model and what the validator must say about it. */
export interface InvalidCase {
  rule: string;
  build: () => ModelProto;
  code: string;
  severity: 'error' | 'warning' | 'info';
  /** the node the finding names (its `node` field, quoted in the message) */
  node?: string;
  /** the finding's graph path when it is not the main graph */
  graph?: string;
  /** what onnxruntime-node does with the file: an error finding means it refuses it (one exception, noted) */
  ort: 'refuses' | 'loads';
}

const x = () => value('x', [2]);
const y = () => value('y', [2]);

/** A one-node model x → y around `n`. */
function oneNode(n: NodeProto, options: { opset?: number; irVersion?: number } = {}): ModelProto {
  return model(graph({ nodes: [n], inputs: [x()], outputs: [y()] }), options);
}

function withDomain(n: NodeProto, domain: string): NodeProto {
  n.domain = domain;
  return n;
}

/** An If whose branches are given, on a constant condition. */
function ifModel(thenNodes: NodeProto[], elseNodes: NodeProto[], before: NodeProto[] = []): ModelProto {
  const thenBranch = graph({ name: 'then', nodes: thenNodes, outputs: [value('a', [2])] });
  const elseBranch = graph({ name: 'else', nodes: elseNodes, outputs: [value('b', [2])] });
  const cond = create(TensorProtoSchema, { name: 'c', dataType: DataType.BOOL, dims: [], int32Data: [1] });
  return model(
    graph({
      nodes: [...before, node('If', ['c'], ['y'], { then_branch: thenBranch, else_branch: elseBranch }, 'if')],
      inputs: [x()],
      outputs: [y()],
      initializers: [cond],
    }),
  );
}

function imageScaler(opset: number): ModelProto {
  const n = node('ImageScaler', ['x'], ['y'], { scale: 1 }, 'scaler');
  n.attribute.push(create(AttributeProtoSchema, { name: 'bias', type: AttributeType.FLOATS, floats: [0] }));
  return model(graph({ nodes: [n], inputs: [value('x', [1, 1, 2, 2])], outputs: [value('y', [1, 1, 2, 2])] }), { opset });
}

function withInitializer(init: ReturnType<typeof tensor>): ModelProto {
  return model(graph({ nodes: [node('Add', ['x', 'w'], ['y'], {}, 'add')], inputs: [x()], outputs: [y()], initializers: [init] }));
}

/** Every rule with a model that breaks it. */
export const INVALID_CASES: InvalidCase[] = [
  {
    rule: 'SSA: two nodes write one output',
    build: () => model(graph({ nodes: [node('Relu', ['x'], ['y'], {}, 'r1'), node('Neg', ['x'], ['y'], {}, 'r2')], inputs: [x()], outputs: [y()] })),
    code: 'DUPLICATE_NAME',
    severity: 'error',
    node: 'r2',
    ort: 'refuses',
  },
  {
    rule: 'SSA: a node output reuses a graph input name',
    build: () => model(graph({ nodes: [node('Relu', ['x'], ['x'], {}, 'r'), node('Neg', ['x'], ['y'], {}, 'n')], inputs: [x()], outputs: [y()] })),
    code: 'DUPLICATE_NAME',
    severity: 'error',
    node: 'r',
    ort: 'refuses',
  },
  {
    rule: 'SSA: a graph output listed twice',
    build: () => model(graph({ nodes: [node('Relu', ['x'], ['y'], {}, 'r')], inputs: [x()], outputs: [y(), y()] })),
    code: 'DUPLICATE_GRAPH_OUTPUT',
    severity: 'warning',
    ort: 'loads',
  },
  {
    rule: 'a node reads a tensor nothing produces',
    build: () => oneNode(node('Add', ['x', 'nowhere'], ['y'], {}, 'add')),
    code: 'UNDEFINED_INPUT',
    severity: 'error',
    node: 'add',
    ort: 'refuses',
  },
  {
    rule: 'a graph output nothing produces',
    build: () => model(graph({ nodes: [node('Relu', ['x'], ['y'], {}, 'r')], inputs: [x()], outputs: [y(), value('q', [2])] })),
    code: 'UNDEFINED_GRAPH_OUTPUT',
    severity: 'error',
    ort: 'refuses',
  },
  {
    rule: 'a cycle',
    build: () =>
      model(graph({ nodes: [node('Add', ['x', 'b'], ['a'], {}, 'p'), node('Relu', ['a'], ['b'], {}, 'q'), node('Neg', ['b'], ['y'], {}, 'n')], inputs: [x()], outputs: [y()] })),
    code: 'CYCLE',
    severity: 'error',
    node: 'p',
    ort: 'refuses',
  },
  {
    rule: 'nodes out of order but acyclic',
    build: () => model(graph({ nodes: [node('Neg', ['a'], ['y'], {}, 'n'), node('Relu', ['x'], ['a'], {}, 'r')], inputs: [x()], outputs: [y()] })),
    code: 'UNSORTED_NODES',
    severity: 'warning',
    node: 'n',
    ort: 'loads',
  },
  {
    rule: 'an If branch reads an outer value that does not exist',
    build: () => ifModel([node('Neg', ['x'], ['a'], {}, 'tn')], [node('Relu', ['nowhere'], ['b'], {}, 'er')]),
    code: 'UNDEFINED_INPUT',
    severity: 'error',
    node: 'er',
    graph: 'main/if.else_branch',
    ort: 'refuses',
  },
  {
    rule: 'a branch node writes a name of the outer graph',
    build: () => ifModel([node('Neg', ['x'], ['x2'], {}, 'tn'), node('Identity', ['x2'], ['a'], {}, 'ti')], [node('Relu', ['x'], ['b'], {}, 'er')], [node('Neg', ['x'], ['x2'], {}, 'outer')]),
    code: 'SHADOWED_NAME',
    severity: 'error',
    node: 'tn',
    graph: 'main/if.then_branch',
    ort: 'refuses',
  },
  {
    rule: 'no opset import',
    build: () => {
      const m = oneNode(node('Relu', ['x'], ['y'], {}, 'r'));
      m.opsetImport = [];
      return m;
    },
    code: 'NO_OPSET_IMPORT',
    severity: 'error',
    ort: 'refuses',
  },
  {
    rule: 'an ai.onnx opset beyond onnxruntime',
    build: () => oneNode(node('Relu', ['x'], ['y'], {}, 'r'), { opset: 27, irVersion: 10 }),
    code: 'OPSET_UNSUPPORTED',
    severity: 'error',
    ort: 'refuses',
  },
  {
    rule: 'an IR version from the future',
    build: () => oneNode(node('Relu', ['x'], ['y'], {}, 'r'), { irVersion: 14 }),
    code: 'IR_VERSION_UNSUPPORTED',
    severity: 'error',
    ort: 'refuses',
  },
  {
    rule: 'an op that does not exist in ai.onnx',
    build: () => oneNode(node('Foo', ['x'], ['y'], {}, 'f')),
    code: 'UNKNOWN_OP',
    severity: 'error',
    node: 'f',
    ort: 'refuses',
  },
  {
    rule: 'an op newer than the model opset',
    build: () => oneNode(node('Gelu', ['x'], ['y'], {}, 'gelu')),
    code: 'OP_NOT_IN_OPSET',
    severity: 'error',
    node: 'gelu',
    ort: 'refuses',
  },
  {
    rule: 'a removed op',
    build: () =>
      model(graph({ nodes: [node('Upsample', ['x', 's'], ['y'], {}, 'up')], inputs: [x()], outputs: [y()], initializers: [tensor('s', [1], [1])] }), { opset: 10 }),
    code: 'DEPRECATED_OP',
    severity: 'error',
    node: 'up',
    ort: 'refuses',
  },
  {
    rule: 'an experimental op at an opset onnxruntime still runs it',
    build: () => imageScaler(8),
    code: 'EXPERIMENTAL_OP',
    severity: 'warning',
    node: 'scaler',
    ort: 'loads',
  },
  {
    rule: 'an experimental op past opset 9',
    build: () => imageScaler(10),
    code: 'EXPERIMENTAL_OP',
    severity: 'error',
    node: 'scaler',
    ort: 'refuses',
  },
  {
    rule: 'an unknown domain',
    build: () => {
      const m = oneNode(withDomain(node('Foo', ['x'], ['y'], {}, 'custom'), 'my.domain'));
      m.opsetImport.push({ ...m.opsetImport[0], domain: 'my.domain', version: 1n });
      return m;
    },
    code: 'UNKNOWN_DOMAIN',
    severity: 'warning',
    node: 'custom',
    // refused without the custom-op library that would implement the domain
    ort: 'refuses',
  },
  {
    rule: 'a node of a domain the model does not import',
    build: () => oneNode(withDomain(node('Foo', ['x'], ['y'], {}, 'custom'), 'my.domain')),
    code: 'DOMAIN_NOT_IMPORTED',
    severity: 'error',
    node: 'custom',
    ort: 'refuses',
  },
  {
    rule: 'a graph input without a type',
    build: () => model(graph({ nodes: [node('Relu', ['x'], ['y'], {}, 'r')], inputs: [create(ValueInfoProtoSchema, { name: 'x' })], outputs: [y()] })),
    code: 'INPUT_WITHOUT_TYPE',
    severity: 'error',
    ort: 'refuses',
  },
  {
    rule: 'a graph output without a type',
    build: () => model(graph({ nodes: [node('Relu', ['x'], ['y'], {}, 'r')], inputs: [x()], outputs: [create(ValueInfoProtoSchema, { name: 'y' })] })),
    code: 'OUTPUT_WITHOUT_TYPE',
    severity: 'warning',
    ort: 'loads',
  },
  {
    rule: 'an attribute of the wrong type',
    build: () => oneNode(node('Softmax', ['x'], ['y'], { axis: 1.5 }, 'softmax')),
    code: 'ATTRIBUTE_TYPE',
    severity: 'error',
    node: 'softmax',
    ort: 'refuses',
  },
  {
    rule: 'an attribute without a type',
    build: () => {
      const n = node('Softmax', ['x'], ['y'], {}, 'softmax');
      n.attribute.push(create(AttributeProtoSchema, { name: 'axis', i: 0n }));
      return oneNode(n);
    },
    code: 'ATTRIBUTE_TYPE',
    severity: 'error',
    node: 'softmax',
    ort: 'refuses',
  },
  {
    rule: 'an attribute the op does not define',
    build: () => oneNode(node('Relu', ['x'], ['y'], { foo: { int: 3 } }, 'relu')),
    code: 'UNKNOWN_ATTRIBUTE',
    severity: 'error',
    node: 'relu',
    ort: 'refuses',
  },
  {
    rule: 'a required attribute missing',
    build: () => oneNode(node('Cast', ['x'], ['y'], {}, 'cast')),
    code: 'MISSING_ATTRIBUTE',
    severity: 'error',
    node: 'cast',
    ort: 'refuses',
  },
  {
    rule: 'too few inputs',
    build: () => oneNode(node('Add', ['x'], ['y'], {}, 'add')),
    code: 'INPUT_COUNT',
    severity: 'error',
    node: 'add',
    ort: 'refuses',
  },
  {
    rule: 'too many outputs',
    build: () => oneNode(node('Relu', ['x'], ['y', 'z'], {}, 'relu')),
    code: 'OUTPUT_COUNT',
    severity: 'error',
    node: 'relu',
    ort: 'refuses',
  },
  {
    rule: 'a required input left empty',
    build: () => oneNode(node('Add', ['x', ''], ['y'], {}, 'add')),
    code: 'EMPTY_REQUIRED_INPUT',
    severity: 'error',
    node: 'add',
    ort: 'refuses',
  },
  {
    rule: 'dims declaring 10^15 elements over 16 bytes',
    build: () => withInitializer(create(TensorProtoSchema, { name: 'w', dataType: DataType.FLOAT, dims: [1000000n, 1000000n, 1000n], rawData: new Uint8Array(16) })),
    code: 'TENSOR_DATA_SIZE',
    severity: 'error',
    ort: 'refuses',
  },
  {
    rule: 'typed data shorter than the dims',
    build: () => withInitializer(create(TensorProtoSchema, { name: 'w', dataType: DataType.FLOAT, dims: [2n], floatData: [1] })),
    code: 'TENSOR_DATA_SIZE',
    severity: 'error',
    ort: 'refuses',
  },
  {
    rule: 'raw_data and float_data both set',
    build: () => withInitializer(create(TensorProtoSchema, { name: 'w', dataType: DataType.FLOAT, dims: [2n], floatData: [1, 2], rawData: new Uint8Array(Float32Array.from([5, 6]).buffer) })),
    code: 'TENSOR_DATA_FIELDS',
    severity: 'error',
    // onnxruntime silently reads raw_data: the values the exporter meant are unknowable, so the finding stays an error
    ort: 'loads',
  },
  {
    rule: 'values in the field of another type',
    build: () => withInitializer(create(TensorProtoSchema, { name: 'w', dataType: DataType.FLOAT, dims: [2n], int64Data: [1n, 2n] })),
    code: 'TENSOR_DATA_FIELD',
    severity: 'error',
    ort: 'refuses',
  },
  {
    rule: 'a tensor without an element type',
    build: () => withInitializer(create(TensorProtoSchema, { name: 'w', dataType: 0, dims: [2n], floatData: [1, 2] })),
    code: 'TENSOR_DATA_TYPE',
    severity: 'error',
    ort: 'refuses',
  },
  {
    rule: 'a negative dimension',
    build: () => withInitializer(create(TensorProtoSchema, { name: 'w', dataType: DataType.FLOAT, dims: [-2n], floatData: [1, 2] })),
    code: 'TENSOR_DIMS',
    severity: 'error',
    ort: 'refuses',
  },
  {
    rule: 'a Constant whose value holds too little data',
    build: () => {
      const value = create(TensorProtoSchema, { dataType: DataType.FLOAT, dims: [2n], floatData: [1] });
      return model(graph({ nodes: [node('Constant', [], ['w'], { value }, 'const'), node('Add', ['x', 'w'], ['y'], {}, 'add')], inputs: [x()], outputs: [y()] }));
    },
    code: 'TENSOR_DATA_SIZE',
    severity: 'error',
    node: 'const',
    ort: 'refuses',
  },
  {
    rule: 'a dangling graph input',
    build: () => model(graph({ nodes: [node('Relu', ['x'], ['y'], {}, 'r')], inputs: [x(), value('unused', [2])], outputs: [y()] })),
    code: 'UNUSED_INPUT',
    severity: 'warning',
    ort: 'loads',
  },
  {
    rule: 'an initializer stored twice',
    build: () =>
      model(graph({ nodes: [node('Add', ['x', 'w'], ['y'], {}, 'add')], inputs: [x()], outputs: [y()], initializers: [tensor('w', [2], [1, 2]), tensor('w', [2], [1, 2])] })),
    code: 'DUPLICATE_INITIALIZER',
    severity: 'warning',
    ort: 'loads',
  },
  {
    rule: 'an old opset',
    build: () => oneNode(node('Relu', ['x'], ['y'], {}, 'r'), { opset: 11 }),
    code: 'OLD_OPSET',
    severity: 'info',
    ort: 'loads',
  },
  {
    rule: 'a very old opset',
    build: () => oneNode(node('Relu', ['x'], ['y'], {}, 'r'), { opset: 6, irVersion: 3 }),
    code: 'OLD_OPSET',
    severity: 'warning',
    ort: 'loads',
  },
];
