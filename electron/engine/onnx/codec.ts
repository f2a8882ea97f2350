/** Decodes and encodes ONNX ModelProto bytes; unknown fields survive a round trip. */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { StudioError } from '../../../shared/api/errors';
import { ModelProtoSchema, type ModelProto } from './proto';

/** Subgraphs (If/Loop/Scan bodies) nested deeper than this are refused: real models stay under ten. */
export const MAX_GRAPH_DEPTH = 64;

/** Messages nested deeper than this are not decoded (each subgraph level costs three: graph, node, attribute). */
const DECODE_RECURSION_LIMIT = 4 * MAX_GRAPH_DEPTH + 40;

/** protobuf's own ceiling for one message; larger models must keep tensors in external data. */
export const PROTOBUF_LIMIT_BYTES = 2 ** 31 - 1;

/**
 * Decodes a model.
 * @param bytes - the file's bytes; tensors' `raw_data` become views into this buffer (no copy)
 * @param fileName - used in error messages
 * @returns the decoded ModelProto
 * @throws StudioError `NOT_ONNX` for bytes that are not a model, `TRUNCATED_MODEL` for a model cut short
 */
export function decodeModel(bytes: Uint8Array, fileName = 'the file'): ModelProto {
  if (bytes.length === 0) {
    throw new StudioError('NOT_ONNX', `${fileName} is empty: it is not an ONNX model. Choose a .onnx file.`);
  }
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes, { readUnknownFields: true, recursionLimit: DECODE_RECURSION_LIMIT });
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    if ((err instanceof RangeError && /call stack/i.test(detail)) || /maximum recursion depth/.test(detail)) {
      throw new StudioError('INVALID_MODEL', `${fileName} nests subgraphs (or other messages) too deeply to read safely; refused.`, { cause: err });
    }
    if (looksLikeModelStart(bytes) && /premature EOF|out of range|end of/i.test(detail)) {
      throw new StudioError(
        'TRUNCATED_MODEL',
        `${fileName} is truncated: the ONNX data ends before the model does (${bytes.length} bytes read). ` +
          'Copy or download the file again.',
        { cause: err },
      );
    }
    throw new StudioError('NOT_ONNX', `${fileName} is not an ONNX model (protobuf decoding failed: ${detail}).`, {
      cause: err,
    });
  }
  const depth = maxGraphDepth(model);
  if (depth > MAX_GRAPH_DEPTH) {
    throw new StudioError('INVALID_MODEL', `${fileName} nests subgraphs ${depth} levels deep (the limit is ${MAX_GRAPH_DEPTH}); refused as unsafe to process.`);
  }
  if (!isPlausibleModel(model)) {
    throw new StudioError(
      'NOT_ONNX',
      `${fileName} is not an ONNX model: it has no IR version and no graph. Choose a .onnx file exported by a framework.`,
    );
  }
  return model;
}

/**
 * Encodes a model to bytes.
 * @throws StudioError `MODEL_TOO_LARGE` when the encoding would pass protobuf's 2 GB limit
 */
export function encodeModel(model: ModelProto): Uint8Array {
  const bytes = toBinary(ModelProtoSchema, model, { writeUnknownFields: true });
  if (bytes.length > PROTOBUF_LIMIT_BYTES) {
    throw new StudioError(
      'MODEL_TOO_LARGE',
      'The model is larger than 2 GiB, protobuf\'s limit: save it with external data.',
    );
  }
  return bytes;
}

/** ModelProto starts with ir_version (field 1, varint → tag byte 0x08) in every exporter we know. */
function looksLikeModelStart(bytes: Uint8Array): boolean {
  return bytes[0] === 0x08 || bytes[0] === 0x12 || bytes[0] === 0x1a || bytes[0] === 0x3a;
}

function isPlausibleModel(model: ModelProto): boolean {
  const ir = Number(model.irVersion ?? 0n);
  const hasGraph = model.graph !== undefined;
  if (ir <= 0 || ir > 1000) return false;
  return hasGraph || model.functions.length > 0;
}

/** @returns how deeply graphs nest inside node attributes (1 = no subgraphs), measured without recursion. */
export function maxGraphDepth(model: ModelProto): number {
  if (!model.graph) return 0;
  let max = 0;
  const stack: Array<{ graph: NonNullable<ModelProto['graph']>; depth: number }> = [{ graph: model.graph, depth: 1 }];
  while (stack.length) {
    const { graph, depth } = stack.pop()!;
    max = Math.max(max, depth);
    if (depth > MAX_GRAPH_DEPTH) return depth;
    for (const node of graph.node) {
      for (const attr of node.attribute) {
        if (attr.g) stack.push({ graph: attr.g, depth: depth + 1 });
        for (const g of attr.graphs) stack.push({ graph: g, depth: depth + 1 });
      }
    }
  }
  return max;
}
