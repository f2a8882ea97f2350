/** Collects TFLite tensors, buffers and operators and serializes them with the generated schema code. */
import * as flatbuffers from 'flatbuffers';
import { Buffer as TfBuffer } from './generated/tflite/buffer';
import { BuiltinOperator } from './generated/tflite/builtin-operator';
import { BuiltinOptions } from './generated/tflite/builtin-options';
import { Model } from './generated/tflite/model';
import { Operator } from './generated/tflite/operator';
import { OperatorCode } from './generated/tflite/operator-code';
import { QuantizationParameters } from './generated/tflite/quantization-parameters';
import { SubGraph } from './generated/tflite/sub-graph';
import { Tensor } from './generated/tflite/tensor';
import { TensorType } from './generated/tflite/tensor-type';

export { BuiltinOperator, BuiltinOptions, TensorType };

/** Affine int8/int32 quantization of a tensor: real = scale * (q - zeroPoint), per tensor or per `dimension`. */
export interface TensorQuant {
  scale: number[];
  zeroPoint: number[];
  /** the quantized axis when there is more than one scale */
  dimension?: number;
}

/** One tensor of the subgraph; `data` makes it a constant. */
export interface TensorSpec {
  name: string;
  shape: number[];
  type: TensorType;
  data?: Uint8Array;
  quant?: TensorQuant;
}

/** Builtin options of an operator: the union tag and a writer of the table. */
export interface OpOptions {
  type: BuiltinOptions;
  write: (b: flatbuffers.Builder) => flatbuffers.Offset;
}

/** One operator: its builtin code, tensor indices (-1 for an absent optional input) and options. */
export interface OpSpec {
  op: BuiltinOperator;
  inputs: number[];
  outputs: number[];
  options?: OpOptions;
  version?: number;
}

/** Bytes of a typed array, little-endian (the only byte order TFLite reads). */
export function bytesOf(values: Float32Array | Int32Array | Int8Array | Uint8Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}

/** A TFLite model under construction: one subgraph. */
export class TfliteModelBuilder {
  readonly tensors: TensorSpec[] = [];
  readonly ops: OpSpec[] = [];
  inputs: number[] = [];
  outputs: number[] = [];

  /** @returns the new tensor's index */
  addTensor(spec: TensorSpec): number {
    this.tensors.push(spec);
    return this.tensors.length - 1;
  }

  /** Adds a constant float32 tensor. */
  addConstF32(name: string, shape: number[], values: Float32Array): number {
    return this.addTensor({ name, shape, type: TensorType.FLOAT32, data: bytesOf(values) });
  }

  /** Adds a constant int32 tensor (shapes, axes, paddings). */
  addConstI32(name: string, shape: number[], values: number[] | Int32Array): number {
    return this.addTensor({ name, shape, type: TensorType.INT32, data: bytesOf(Int32Array.from(values)) });
  }

  /** Appends an operator (operators run in the order they are added). */
  addOp(spec: OpSpec): void {
    this.ops.push(spec);
  }

  /** Serializes the model (schema version 3, file identifier TFL3). */
  serialize(description: string): Uint8Array {
    const b = new flatbuffers.Builder(1024 * 1024);
    const codes: Array<{ op: BuiltinOperator; version: number }> = [];
    const codeIndex = (op: BuiltinOperator, version: number): number => {
      let i = codes.findIndex((c) => c.op === op && c.version === version);
      if (i < 0) i = codes.push({ op, version }) - 1;
      return i;
    };
    const opIndices = this.ops.map((o) => codeIndex(o.op, o.version ?? 1));

    // Buffers: 0 is the empty sentinel, then one per constant tensor.
    const bufferOffsets: flatbuffers.Offset[] = [emptyBuffer(b)];
    const tensorBuffer = this.tensors.map((t) => {
      if (!t.data) return 0;
      bufferOffsets.push(dataBuffer(b, t.data));
      return bufferOffsets.length - 1;
    });
    const tensorOffsets = this.tensors.map((t, i) => writeTensor(b, t, tensorBuffer[i]));
    const opOffsets = this.ops.map((o, i) => {
      const inputs = Operator.createInputsVector(b, o.inputs);
      const outputs = Operator.createOutputsVector(b, o.outputs);
      const options = o.options ? o.options.write(b) : 0;
      Operator.startOperator(b);
      Operator.addOpcodeIndex(b, opIndices[i]);
      Operator.addInputs(b, inputs);
      Operator.addOutputs(b, outputs);
      if (o.options) {
        Operator.addBuiltinOptionsType(b, o.options.type);
        Operator.addBuiltinOptions(b, options);
      }
      return Operator.endOperator(b);
    });
    const subgraph = SubGraph.createSubGraph(
      b,
      SubGraph.createTensorsVector(b, tensorOffsets),
      SubGraph.createInputsVector(b, this.inputs),
      SubGraph.createOutputsVector(b, this.outputs),
      SubGraph.createOperatorsVector(b, opOffsets),
      b.createString('main'),
    );
    // Readers that only know the byte field (Arm NN 20.08) need deprecated_builtin_code set too.
    const codeOffsets = codes.map((c) =>
      OperatorCode.createOperatorCode(b, Math.min(c.op, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES), 0, c.version, c.op),
    );
    const model = Model.createModel(
      b,
      3,
      Model.createOperatorCodesVector(b, codeOffsets),
      Model.createSubgraphsVector(b, [subgraph]),
      b.createString(description),
      Model.createBuffersVector(b, bufferOffsets),
      0,
      0,
      0,
    );
    b.finish(model, 'TFL3');
    return b.asUint8Array().slice();
  }
}

function emptyBuffer(b: flatbuffers.Builder): flatbuffers.Offset {
  TfBuffer.startBuffer(b);
  return TfBuffer.endBuffer(b);
}

interface BuilderInternals {
  space: number;
  bb: flatbuffers.ByteBuffer;
}

/** A buffer whose data vector is 16-byte aligned (the schema's force_align), copied in one go. */
function dataBuffer(b: flatbuffers.Builder, data: Uint8Array): flatbuffers.Offset {
  b.startVector(1, data.length, 16);
  const raw = b as unknown as BuilderInternals;
  raw.space -= data.length;
  raw.bb.setPosition(raw.space);
  raw.bb.bytes().set(data, raw.space);
  const vec = b.endVector();
  TfBuffer.startBuffer(b);
  TfBuffer.addData(b, vec);
  return TfBuffer.endBuffer(b);
}

function writeTensor(b: flatbuffers.Builder, t: TensorSpec, buffer: number): flatbuffers.Offset {
  const shape = Tensor.createShapeVector(b, t.shape);
  const name = b.createString(t.name);
  let quant = 0;
  if (t.quant) {
    const scale = QuantizationParameters.createScaleVector(b, t.quant.scale);
    const zp = QuantizationParameters.createZeroPointVector(b, t.quant.zeroPoint.map((z) => BigInt(z)));
    QuantizationParameters.startQuantizationParameters(b);
    QuantizationParameters.addScale(b, scale);
    QuantizationParameters.addZeroPoint(b, zp);
    QuantizationParameters.addQuantizedDimension(b, t.quant.dimension ?? 0);
    quant = QuantizationParameters.endQuantizationParameters(b);
  }
  Tensor.startTensor(b);
  Tensor.addShape(b, shape);
  Tensor.addType(b, t.type);
  Tensor.addBuffer(b, buffer);
  Tensor.addName(b, name);
  if (quant) Tensor.addQuantization(b, quant);
  return Tensor.endTensor(b);
}
