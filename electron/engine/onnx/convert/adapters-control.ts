/** Adapters for Scan 9 (no batch axis: Scan 8 becomes a Loop over the batch around a Scan 9) and Scatter → ScatterElements. */
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeType, DataType, GraphProtoSchema, TypeProtoSchema, ValueInfoProtoSchema, type ValueInfoProto } from '../proto';
import type { Adapter, NodeStep } from './convert-context';

/**
 * Scan 8 ran its body once per batch item over inputs shaped [batch, sequence, …]; Scan 9 has no batch axis. The
 * node becomes a Loop over the batch whose body slices item i of every input and runs the same body as a Scan 9;
 * the Loop stacks the per-item results back into [batch, …].
 */
export const scan8To9: Adapter = (step: NodeStep) => {
  const node = step.node;
  if (step.input(0)) step.refuse('it takes per-item sequence lengths (sequence_lens), which Scan 9 has no input for.');
  const directions = step.remove('directions');
  if (directions) step.set('scan_input_directions', { ints: directions.ints });
  const batched = node.input.slice(1);
  if (batched.length === 0) step.refuse('it has no inputs to scan.', 'INVALID_MODEL');
  const body = node.attribute.find((a) => a.name === 'body')?.g;
  if (!body) step.refuse('it has no body graph.', 'INVALID_MODEL');

  const batchShape = step.add('Shape', [batched[0]], 'batch_shape');
  const batch = step.add('Gather', [batchShape, step.int64s('zero', [0], true)], 'batch_size', { axis: { i: 0 } });

  const fresh = (base: string) => step.graph.uniqueName(`${node.name || 'Scan'}_${base}`);
  const iter = fresh('item');
  const condIn = fresh('cond_in');
  const condOut = fresh('cond_out');
  const items = batched.map((name) => fresh(`${name}_item`));
  const slices = batched.map((name, i) => step.make('Gather', [name, iter], [items[i]], { axis: { i: 0 } }));
  const outerOutputs = [...node.output];
  const innerOutputs = outerOutputs.map((name) => fresh(`${name || 'out'}_item`));
  const loopBody = create(GraphProtoSchema, {
    name: fresh('batch_loop_body'),
    input: [scalarInfo(iter, DataType.INT64), scalarInfo(condIn, DataType.BOOL)],
    output: [scalarInfo(condOut, DataType.BOOL), ...innerOutputs.map((name, i) => elemInfo(name, body.output[i]))],
  });

  const loop = step.make('Loop', [batch, ''], outerOutputs);
  loop.attribute.push(create(AttributeProtoSchema, { name: 'body', type: AttributeType.GRAPH, g: loopBody }));

  node.input.splice(0, node.input.length, ...items);
  node.output.splice(0, node.output.length, ...innerOutputs);
  loopBody.node.push(...slices, node, step.make('Identity', [condIn], [condOut]));
  step.graph.nodes[step.graph.nodes.indexOf(node)] = loop;
  step.graph.invalidate();
  return 'batch axis → Loop over the batch around Scan 9';
};

function scalarInfo(name: string, elemType: number): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, { value: { case: 'tensorType', value: { elemType, shape: { dim: [] } } } }),
  });
}

/** A value_info with the element type of a body output (shape left to inference), or untyped when it is unknown. */
function elemInfo(name: string, like: ValueInfoProto | undefined): ValueInfoProto {
  const t = like?.type?.value;
  if (t?.case !== 'tensorType') return create(ValueInfoProtoSchema, { name });
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, { value: { case: 'tensorType', value: { elemType: t.value.elemType } } }),
  });
}

/** Scatter was deprecated at opset 11 in favour of ScatterElements, which computes the same. */
export const scatterToScatterElements: Adapter = (step: NodeStep) => {
  step.node.opType = 'ScatterElements';
  return 'Scatter → ScatterElements';
};
