/** Models whose every string field holds terminal escape sequences, control characters and very long text. */
import { create } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import { encodeModel } from '../../../electron/engine/onnx/codec';
import {
  AttributeProtoSchema,
  AttributeType,
  DataType,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  TensorProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from '../../../electron/engine/onnx/proto';

/**
 * What a hostile string carries: an OSC that sets the terminal title, an SGR colour, NUL, DEL, a C1 CSI (U+009B, two
 * bytes C2 9B in UTF-8) with its parameters, a carriage return and a bidi override.
 */
export const PAYLOAD = '\x1b]0;pwned\x07\x1b[31m\x00\x7f\x9b31m\r\u202e';

/** @returns a hostile string that still tells which field it came from (and stays unique per field). */
export const hostile = (field: string) => `${field}${PAYLOAD}.${field}`;

/**
 * A hostile tensor name: the payload without NUL, because onnxruntime-node passes input and output names as C strings
 * (a NUL cuts the name, so the model could not be fed; {@link refusedHostileModel} has such an input).
 */
export const hostileTensor = (field: string) => `${field}${PAYLOAD.replace('\x00', '')}.${field}`;

/** A very long hostile string (escape sequences repeated through 40 000 characters). */
export const LONG = `long${PAYLOAD}`.repeat(2000);

/**
 * Forbidden in anything the CLI writes to a terminal: C0 controls but tab and newline, DEL and the C1 controls
 * (as code points: U+0080–U+009F are C2 80–C2 9F in UTF-8).
 */
// eslint-disable-next-line no-control-regex -- the tests look for control characters
export const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function floats(name: string, dims: number[], seed: number): TensorProto {
  const n = dims.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.3) * 0.5);
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: DataType.FLOAT, rawData: new Uint8Array(values.buffer), docString: hostile(`doc of ${name}`) });
}

function ints(name: string, value: number[], doc: string): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeType.INTS, ints: value.map(BigInt), docString: hostile(doc) });
}

function value(name: string, dims: Array<number | string>): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    docString: hostile(`doc of value ${name.slice(0, 6)}`),
    type: {
      denotation: hostile('type denotation'),
      value: {
        case: 'tensorType',
        value: {
          elemType: DataType.FLOAT,
          shape: {
            dim: dims.map((d) =>
              typeof d === 'number'
                ? { value: { case: 'dimValue' as const, value: BigInt(d) }, denotation: hostile('dim denotation') }
                : { value: { case: 'dimParam' as const, value: d } },
            ),
          },
        },
      },
    },
  });
}

function node(opType: string, inputs: string[], outputs: string[], name: string, attribute: AttributeProto[] = [], domain = ''): NodeProto {
  return create(NodeProtoSchema, { opType, input: inputs, output: outputs, name, attribute, domain, docString: hostile(`doc of node ${opType}`) });
}

/** Names of the runnable model's tensors and nodes (all hostile). */
export const NAMES = {
  input: hostileTensor('input'),
  batch: hostile('batch'),
  output: hostileTensor('output'),
  conv1: hostile('conv1'),
  conv2: LONG,
};

/**
 * A small CNN onnxruntime runs, quantizes and prunes: Conv → Relu → Conv → Relu → GlobalAveragePool → Flatten → Gemm,
 * input [batch, 3, 8, 8] → output [batch, 4]. Every name, doc string, denotation, the producer, domain, graph name and
 * metadata (keys and values, one of 40 000 characters) is hostile; one node name is 40 000 characters long.
 */
export function runnableHostileModel(file: string): void {
  const t = (n: string) => hostileTensor(`tensor ${n}`);
  const nodes = [
    node('Conv', [NAMES.input, t('w1'), t('b1')], [t('c1')], NAMES.conv1, [ints('kernel_shape', [3, 3], 'attr kernel'), ints('pads', [1, 1, 1, 1], 'attr pads')]),
    node('Relu', [t('c1')], [t('r1')], hostile('relu1')),
    node('Conv', [t('r1'), t('w2'), t('b2')], [t('c2')], NAMES.conv2, [ints('kernel_shape', [3, 3], 'attr kernel'), ints('pads', [1, 1, 1, 1], 'attr pads')]),
    node('Relu', [t('c2')], [t('r2')], hostile('relu2')),
    node('GlobalAveragePool', [t('r2')], [t('gap')], hostile('gap')),
    node('Flatten', [t('gap')], [t('flat')], hostile('flatten')),
    node('Gemm', [t('flat'), t('fc_w'), t('fc_b')], [NAMES.output], hostile('fc'), [
      create(AttributeProtoSchema, { name: 'transB', type: AttributeType.INT, i: 1n, docString: hostile('attr transB') }),
    ]),
  ];
  const g = create(GraphProtoSchema, {
    name: hostile('graph name'),
    docString: hostile('graph doc'),
    node: nodes,
    input: [value(NAMES.input, [NAMES.batch, 3, 8, 8])],
    output: [value(NAMES.output, [NAMES.batch, 4])],
    valueInfo: [value(t('c1'), [NAMES.batch, 8, 8, 8])],
    initializer: [floats(t('w1'), [8, 3, 3, 3], 1), floats(t('b1'), [8], 2), floats(t('w2'), [8, 8, 3, 3], 3), floats(t('b2'), [8], 4), floats(t('fc_w'), [4, 8], 5), floats(t('fc_b'), [4], 6)],
  });
  const m = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: hostile('producer'),
    producerVersion: hostile('version'),
    domain: hostile('model domain'),
    docString: hostile('model doc'),
    modelVersion: 1n,
    opsetImport: [{ domain: '', version: 17n }],
    metadataProps: [
      { key: hostile('metadata key'), value: hostile('metadata value') },
      { key: 'long value', value: LONG },
      { key: LONG, value: 'long key' },
    ],
    graph: g,
  });
  fs.writeFileSync(file, encodeModel(m));
}

/**
 * A model onnxruntime refuses, whose refusal quotes hostile text: an input whose name holds NUL, a node of a hostile op
 * type in a hostile domain (with a hostile opset import), hostile attribute names and a hostile string attribute.
 */
export function refusedHostileModel(file: string): void {
  const input = hostile('input');
  const g = create(GraphProtoSchema, {
    name: hostile('graph name'),
    node: [
      node('Relu', [input], [hostile('r')], hostile('relu'), [
        create(AttributeProtoSchema, { name: hostile('attribute name'), type: AttributeType.STRING, s: new TextEncoder().encode(hostile('attribute string')) }),
      ]),
      node(hostile('OpType'), [hostile('r')], [hostile('output')], hostile('custom node'), [
        create(AttributeProtoSchema, { name: hostile('custom attribute'), type: AttributeType.STRINGS, strings: [new TextEncoder().encode(hostile('attribute strings'))] }),
      ], hostile('op domain')),
    ],
    input: [value(input, [1, 4])],
    output: [value(hostile('output'), [1, 4])],
  });
  const m = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: hostile('producer'),
    producerVersion: hostile('version'),
    domain: hostile('model domain'),
    docString: hostile('model doc'),
    opsetImport: [
      { domain: '', version: 17n },
      { domain: hostile('op domain'), version: 1n },
    ],
    metadataProps: [{ key: hostile('metadata key'), value: hostile('metadata value') }],
    graph: g,
  });
  fs.writeFileSync(file, encodeModel(m));
}
