/** Structured and byte-level mutations of real ONNX models, seeded, for the parser fuzz harness. */
import { clone, create, toBinary } from '@bufbuild/protobuf';
import { decodeModel } from '../../electron/engine/onnx/codec';
import {
  AttributeProtoSchema,
  AttributeType,
  DataLocation,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  StringStringEntryProtoSchema,
  ValueInfoProtoSchema,
  type ModelProto,
} from '../../electron/engine/onnx/proto';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, n: number) => Math.floor(r() * n);

/** Byte-level mutations: flips, overwrites, truncation, insertion, deletion, duplication. */
export function mutateBytes(bytes: Uint8Array, r: Rand): { name: string; bytes: Uint8Array } {
  const b = new Uint8Array(bytes);
  const kind = pick(r, ['bitflip', 'overwrite', 'truncate', 'insert', 'delete', 'duplicate', 'varint-max'] as const);
  switch (kind) {
    case 'bitflip':
      for (let i = 0, n = 1 + int(r, 8); i < n; i++) b[int(r, b.length)] ^= 1 << int(r, 8);
      return { name: kind, bytes: b };
    case 'overwrite':
      for (let i = 0, n = 1 + int(r, 16); i < n; i++) b[int(r, b.length)] = int(r, 256);
      return { name: kind, bytes: b };
    case 'truncate':
      return { name: kind, bytes: b.subarray(0, int(r, b.length)) };
    case 'insert': {
      const at = int(r, b.length);
      const extra = Uint8Array.from({ length: 1 + int(r, 32) }, () => int(r, 256));
      return { name: kind, bytes: concat(b.subarray(0, at), extra, b.subarray(at)) };
    }
    case 'delete': {
      const at = int(r, b.length);
      return { name: kind, bytes: concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(r, 64)))) };
    }
    case 'duplicate': {
      const at = int(r, b.length);
      const len = 1 + int(r, Math.min(256, b.length - at));
      return { name: kind, bytes: concat(b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)) };
    }
    case 'varint-max': {
      const at = int(r, Math.max(1, b.length - 10));
      b.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], at);
      return { name: kind, bytes: b };
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Structured mutations of a decoded model: the attacks a crafted file would try. */
export function mutateModel(model: ModelProto, r: Rand): { name: string; model: ModelProto } {
  const m = clone(ModelProtoSchema, model);
  const g = m.graph;
  const kinds = [
    'huge-dims',
    'negative-dims',
    'short-raw-data',
    'cycle',
    'duplicate-names',
    'dangling-input',
    'deep-nesting',
    'external-escape',
    'external-huge-offset',
    'wrong-dtype',
    'drop-graph-output',
    'self-loop',
    'huge-attribute',
    'empty-names',
    ...STRUCTURAL,
  ] as const;
  const kind = pick(r, kinds);
  if (!g) return { name: 'no-graph', model: m };
  const tensors = [...g.initializer, ...g.node.flatMap((n) => n.attribute.map((a) => a.t).filter((t) => t !== undefined))];
  const node = g.node.length ? pick(r, g.node) : undefined;
  switch (kind) {
    case 'huge-dims':
      if (tensors.length) pick(r, tensors).dims = [1000000n, 1000000n, 1000000n];
      break;
    case 'negative-dims':
      if (tensors.length) pick(r, tensors).dims = [-5n, 3n];
      break;
    case 'short-raw-data':
      if (tensors.length) {
        const t = pick(r, tensors);
        t.rawData = t.rawData.subarray(0, Math.floor(t.rawData.length / 2));
      }
      break;
    case 'cycle':
      if (g.node.length >= 2) {
        const first = g.node[0];
        const last = g.node[g.node.length - 1];
        if (last.output[0]) first.input.push(last.output[0]);
      }
      break;
    case 'self-loop':
      if (node?.output[0]) node.input.push(node.output[0]);
      break;
    case 'duplicate-names':
      if (g.node.length >= 2 && g.node[0].output[0]) g.node[1].output[0] = g.node[0].output[0];
      break;
    case 'dangling-input':
      if (node) node.input.push(`missing_${int(r, 1000)}`);
      break;
    case 'deep-nesting': {
      // small depths through the object model; crafted files reach far deeper (see deeplyNestedModel)
      let inner = create(GraphProtoSchema, { name: 'leaf' });
      for (let i = 0, depth = pick(r, [20, 60, 150]); i < depth; i++) {
        const ifNode = create(NodeProtoSchema, {
          opType: 'If',
          input: ['cond'],
          output: [`o${i}`],
          attribute: [create(AttributeProtoSchema, { name: 'then_branch', type: AttributeType.GRAPH, g: inner })],
        });
        inner = create(GraphProtoSchema, { name: `g${i}`, node: [ifNode] });
      }
      g.node.push(...inner.node);
      break;
    }
    case 'external-escape':
      if (tensors.length) {
        const t = pick(r, tensors);
        t.dataLocation = DataLocation.EXTERNAL;
        t.externalData = [create(StringStringEntryProtoSchema, { key: 'location', value: pick(r, ['../../../etc/passwd', '/etc/passwd', 'C:\\Windows\\win.ini', '..\\x.bin', 'sub/../../x']) })];
      }
      break;
    case 'external-huge-offset':
      if (tensors.length) {
        const t = pick(r, tensors);
        t.dataLocation = DataLocation.EXTERNAL;
        t.externalData = [
          create(StringStringEntryProtoSchema, { key: 'location', value: 'weights.bin' }),
          create(StringStringEntryProtoSchema, { key: 'offset', value: pick(r, ['99999999999', '-1', 'NaN', '1e300']) }),
          create(StringStringEntryProtoSchema, { key: 'length', value: pick(r, ['10', '-10', '1e20']) }),
        ];
      }
      break;
    case 'wrong-dtype':
      if (tensors.length) pick(r, tensors).dataType = pick(r, [0, 8, 99, 12345, -3]);
      break;
    case 'drop-graph-output':
      g.output.push(...g.output.map((o) => ({ ...o, name: `${o.name}_ghost` })));
      break;
    case 'huge-attribute':
      if (node) node.attribute.push(create(AttributeProtoSchema, { name: 'kernel_shape', type: AttributeType.INTS, ints: [2n ** 62n, -(2n ** 62n)] }));
      break;
    case 'empty-names':
      for (const n of g.node) n.output = n.output.map(() => '');
      break;
    default:
      mutateStructure(m, kind, r);
  }
  return { name: kind, model: m };
}

/** The structural faults the validator must name (issue 20), each with the rules that name it. */
export const STRUCTURAL_RULES = {
  'no-opset-import': ['NO_OPSET_IMPORT'],
  'future-ir-version': ['IR_VERSION_UNSUPPORTED'],
  'unsupported-opset': ['OPSET_UNSUPPORTED'],
  'unknown-op': ['UNKNOWN_OP'],
  'unknown-domain': ['UNKNOWN_DOMAIN', 'DOMAIN_NOT_IMPORTED'],
  'outer-value-missing': ['UNDEFINED_INPUT'],
  'input-without-type': ['INPUT_WITHOUT_TYPE'],
  'wrong-attribute-type': ['ATTRIBUTE_TYPE'],
  'raw-and-typed-data': ['TENSOR_DATA_FIELDS'],
  'shadowed-name': ['SHADOWED_NAME'],
  'duplicate-graph-output': ['DUPLICATE_GRAPH_OUTPUT'],
  'bad-arity': ['INPUT_COUNT'],
} as const;
export const STRUCTURAL = Object.keys(STRUCTURAL_RULES) as Array<keyof typeof STRUCTURAL_RULES>;
export type StructuralFault = keyof typeof STRUCTURAL_RULES;

/** Applies one structural fault to a model (in place). */
function mutateStructure(m: ModelProto, kind: string, r: Rand): void {
  const g = m.graph;
  if (!g) return;
  const node = g.node.length ? pick(r, g.node) : undefined;
  switch (kind as StructuralFault) {
    case 'no-opset-import':
      m.opsetImport = [];
      break;
    case 'future-ir-version':
      m.irVersion = BigInt(pick(r, [14, 99, 2 ** 31]));
      break;
    case 'unsupported-opset':
      for (const o of m.opsetImport) if (o.domain === '' || o.domain === 'ai.onnx') o.version = BigInt(pick(r, [27, 1000, 0, -1]));
      break;
    case 'unknown-op':
      if (node) node.opType = pick(r, ['NoSuchOp', 'relu', '', 'Conv\u0000']);
      break;
    case 'unknown-domain':
      if (node) node.domain = pick(r, ['my.custom', 'com.example.ops']);
      break;
    case 'outer-value-missing': {
      const branch = create(GraphProtoSchema, {
        name: 'branch',
        node: [create(NodeProtoSchema, { opType: 'Identity', input: [`outer_missing_${int(r, 100)}`], output: ['b_out'], name: 'branch_read' })],
        output: [{ name: 'b_out' }],
      });
      g.node.push(
        create(NodeProtoSchema, {
          opType: 'If',
          name: 'fuzz_if',
          input: [g.input[0]?.name ?? 'cond'],
          output: ['if_out'],
          attribute: [
            create(AttributeProtoSchema, { name: 'then_branch', type: AttributeType.GRAPH, g: branch }),
            create(AttributeProtoSchema, { name: 'else_branch', type: AttributeType.GRAPH, g: clone(GraphProtoSchema, branch) }),
          ],
        }),
      );
      break;
    }
    case 'input-without-type':
      if (g.input.length) pick(r, g.input).type = undefined;
      break;
    case 'wrong-attribute-type': {
      const attr = node?.attribute.length ? pick(r, node.attribute) : undefined;
      if (attr) attr.type = pick(r, [AttributeType.UNDEFINED, AttributeType.FLOAT, AttributeType.STRINGS, AttributeType.GRAPH, 99 as AttributeType]);
      break;
    }
    case 'raw-and-typed-data': {
      const t = g.initializer.length ? pick(r, g.initializer) : undefined;
      if (t) {
        t.floatData = [1, 2, 3];
        t.int64Data = [1n];
      }
      break;
    }
    case 'shadowed-name':
      for (const n of g.node) {
        for (const attr of n.attribute) {
          const body = attr.g ?? attr.graphs[0];
          if (body?.node.length && g.input.length) body.node[0].output[0] = g.input[0].name;
        }
      }
      break;
    case 'duplicate-graph-output':
      if (g.output.length) g.output.push(clone(ValueInfoProtoSchema, g.output[0]));
      break;
    case 'bad-arity':
      if (node) node.input.push(...Array.from({ length: 1 + int(r, 5) }, () => node.input[0] ?? ''));
      break;
  }
}

/** Encodes a mutated model (protobuf-es writes whatever the object holds). */
export function encodeMutated(model: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, model);
}

/** Decodes a seed, or undefined when the seed itself does not decode. */
export function tryDecode(bytes: Uint8Array): ModelProto | undefined {
  try {
    return decodeModel(bytes);
  } catch {
    return undefined;
  }
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

const ascii = (t: string) => [...t].map((c) => c.charCodeAt(0));

/**
 * A model whose If nodes nest `depth` graphs deep, written straight as protobuf bytes (the way a crafted file would
 * be: no encoder recursion). Each level is a prefix ending in the length of the level inside it.
 */
export function deeplyNestedModel(depth: number): Uint8Array {
  const leaf = [0x12, 4, ...ascii('leaf')];
  const prefixes: number[][] = [];
  let inner = leaf.length;
  for (let i = 0; i < depth; i++) {
    const attr = [0x0a, 11, ...ascii('then_branch'), 0xa0, 0x01, 0x05, 0x32, ...varint(inner)];
    const attrLen = attr.length + inner;
    const node = [0x0a, 4, ...ascii('cond'), 0x12, 1, 0x6f, 0x22, 2, ...ascii('If'), 0x2a, ...varint(attrLen)];
    const nodeLen = node.length + attrLen;
    const graph = [0x12, 1, 0x67, 0x0a, ...varint(nodeLen)];
    inner = graph.length + nodeLen;
    prefixes.push(graph, node, attr);
  }
  const head = [0x08, 8, 0x42, 2, 0x10, 17, 0x3a, ...varint(inner)];
  const total = head.length + prefixes.reduce((n, p) => n + p.length, 0) + leaf.length;
  const out = new Uint8Array(total);
  let o = 0;
  out.set(head, o);
  o += head.length;
  for (let level = depth - 1; level >= 0; level--) {
    for (const part of prefixes.slice(level * 3, level * 3 + 3)) {
      out.set(part, o);
      o += part.length;
    }
  }
  out.set(leaf, o);
  return out;
}
