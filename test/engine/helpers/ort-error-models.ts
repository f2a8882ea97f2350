/** Small models onnxruntime refuses, at load or at run time, each with the message a user meets on real exports. */
import { create } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeModel } from '../../../electron/engine/onnx/codec';
import { DataType, GraphProtoSchema, ValueInfoProtoSchema, type ModelProto, type ValueInfoProto } from '../../../electron/engine/onnx/proto';
import { graph, model, node, tensor } from './build-model';

/** A float tensor value whose dims may be symbolic (strings). */
function sym(name: string, dims: Array<number | string>, elemType: DataType = DataType.FLOAT): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: {
      value: {
        case: 'tensorType',
        value: { elemType, shape: { dim: dims.map((d) => ({ value: typeof d === 'number' ? { case: 'dimValue' as const, value: BigInt(d) } : { case: 'dimParam' as const, value: d } })) } },
      },
    },
  });
}

const ones = (n: number) => Array.from({ length: n }, () => 1);

/** A crafted model, the data its runs get and the words the studio's message must hold. */
export interface OrtErrorModel {
  name: string;
  /** `run`: fails when run on `data`; `load`: fails when onnxruntime creates the session */
  phase: 'run' | 'load';
  /** one item per row: the input's shape without the batch dim (a `.npy` of shape [2, ...item]) */
  item?: number[];
  says: RegExp;
  proto: ModelProto;
}

/** The models (each input takes a batch of one item of `item`'s shape). */
export function ortErrorModels(): OrtErrorModel[] {
  const x = sym('x', ['batch', 'n']);
  const y = sym('y', ['batch', 'm']);
  const thenBranch = create(GraphProtoSchema, {
    name: 'then',
    node: [node('Reshape', ['x', 'shape'], ['t'], {}, '/decoder/Reshape')],
    output: [sym('t', ['a', 'b', 'c'])],
  });
  const elseBranch = create(GraphProtoSchema, { name: 'else', node: [node('Identity', ['x'], ['e'], {}, 'else_id')], output: [sym('e', ['a', 'b'])] });
  // the If's condition is computed at run time (batch > 0), so onnxruntime cannot inline the branch
  const condition = [
    node('Shape', ['x'], ['x_shape'], {}, '/decoder/Shape'),
    node('Gather', ['x_shape', 'zero'], ['batch_size'], { axis: { int: 0 } }, '/decoder/Gather'),
    node('Greater', ['batch_size', 'zero'], ['cond'], {}, '/decoder/Greater'),
  ];
  return [
    {
      name: 'reshape',
      phase: 'run',
      item: [16000],
      says: /node "\/Reshape" \(Reshape\) in reshape\.onnx: its input has shape \[\d, 16000\], which cannot become \[1, 1, 512\]/,
      proto: model(graph({ nodes: [node('Reshape', ['x', 'shape'], ['y'], {}, '/Reshape')], inputs: [x], outputs: [sym('y', [1, 1, 512])], initializers: [tensor('shape', [3], [1, 1, 512], DataType.INT64)] })),
    },
    {
      name: 'matmul',
      phase: 'run',
      item: [3],
      says: /node "\/fc\/MatMul" \(MatMul\) in matmul\.onnx: the inner dimensions of its two inputs differ/,
      proto: model(graph({ nodes: [node('MatMul', ['x', 'w'], ['y'], {}, '/fc/MatMul')], inputs: [x], outputs: [y], initializers: [tensor('w', [4, 4], ones(16))] })),
    },
    {
      name: 'broadcast',
      phase: 'run',
      item: [3],
      says: /node "\/add" \(Add\) in broadcast\.onnx: its inputs have sizes 3 and 4 on the same axis/,
      proto: model(graph({ nodes: [node('Add', ['x', 'w'], ['y'], {}, '/add')], inputs: [x], outputs: [y], initializers: [tensor('w', [1, 4], ones(4))] })),
    },
    {
      name: 'concat',
      phase: 'run',
      item: [5],
      says: /node "\/cat" \(Concat\) in concat\.onnx: its inputs differ on axis 1 \(4 and 5\)/,
      proto: model(graph({ nodes: [node('Concat', ['x', 'w'], ['y'], { axis: { int: 0 } }, '/cat')], inputs: [x], outputs: [y], initializers: [tensor('w', [1, 4], ones(4))] })),
    },
    {
      name: 'nested-if',
      phase: 'run',
      item: [16000],
      says: /node "\/decoder\/Reshape" \(Reshape, inside If "\/decoder\/If"\) in nested-if\.onnx: its input has shape \[\d, 16000\], which cannot become \[1, 1, 512\]/,
      proto: model(
        graph({
          nodes: [...condition, node('If', ['cond'], ['y'], { then_branch: thenBranch, else_branch: elseBranch }, '/decoder/If')],
          inputs: [x],
          outputs: [sym('y', ['a', 'b', 'c'])],
          initializers: [tensor('zero', [], [0], DataType.INT64), tensor('shape', [3], [1, 1, 512], DataType.INT64)],
        }),
      ),
    },
    {
      name: 'unknown-op',
      phase: 'load',
      item: [4],
      says: /Frobnicate/,
      proto: model(graph({ nodes: [node('Frobnicate', ['x'], ['y'], {}, 'f')], inputs: [x], outputs: [y] })),
    },
    {
      name: 'ir-future',
      phase: 'load',
      item: [4],
      says: /IR version 99/,
      proto: model(graph({ nodes: [node('Relu', ['x'], ['y'], {}, 'r')], inputs: [x], outputs: [y] }), { irVersion: 99 }),
    },
    {
      name: 'bad-attribute',
      phase: 'load',
      item: [4],
      says: /"foo"/,
      proto: model(graph({ nodes: [node('Relu', ['x'], ['y'], { foo: { int: 3 } }, 'r')], inputs: [x], outputs: [y] })),
    },
    {
      name: 'topological',
      phase: 'load',
      item: [4],
      says: /"nowhere"/,
      proto: model(graph({ nodes: [node('Relu', ['x'], ['a'], {}, 'r'), node('Add', ['a', 'nowhere'], ['y'], {}, 'X')], inputs: [x], outputs: [y] })),
    },
    {
      name: 'duplicate-output',
      phase: 'load',
      item: [4],
      says: /"y"/,
      proto: model(graph({ nodes: [node('Relu', ['x'], ['y'], {}, 'a'), node('Sigmoid', ['x'], ['y'], {}, 'b')], inputs: [x], outputs: [y] })),
    },
  ];
}

/** Writes every model to `dir` and returns them with their paths. */
export function writeOrtErrorModels(dir: string): Array<OrtErrorModel & { file: string }> {
  return ortErrorModels().map((m) => {
    const file = path.join(dir, `${m.name}.onnx`);
    fs.writeFileSync(file, encodeModel(m.proto));
    return { ...m, file };
  });
}
