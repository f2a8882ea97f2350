/** Finds the static shape of every tensor of a model by running it once with every node output fetched. */
import { clone, create } from '@bufbuild/protobuf';
import { ModelProtoSchema, ValueInfoProtoSchema, type ModelProto, type TensorProto } from '../onnx/proto';
import type { ExternalRef } from '../onnx/external-data';
import type { HostTensor } from '../runtime/backend';
import type { ModelRuntime } from '../runtime/calibration-run';

/**
 * Runs the model on `feeds` with every float node output as an extra output.
 * @param feeds - one batch (use a batch of 2 or more, so that batch axes are told apart from broadcast ones)
 * @returns tensor name → shape, for initializers, inputs and every fetched node output
 */
export async function probeShapes(runtime: ModelRuntime, proto: ModelProto, feeds: Record<string, HostTensor>, external: ReadonlyMap<TensorProto, ExternalRef> = new Map(), signal?: AbortSignal): Promise<Map<string, number[]>> {
  const copy = clone(ModelProtoSchema, proto);
  const graph = copy.graph;
  if (!graph) throw new Error('The model has no graph.');
  const shapes = new Map<string, number[]>();
  for (const t of graph.initializer) shapes.set(t.name, t.dims.map(Number));
  for (const [name, t] of Object.entries(feeds)) shapes.set(name, [...t.dims]);
  const outputs = new Set(graph.output.map((v) => v.name));
  const wanted: string[] = [];
  for (const node of graph.node) {
    if (node.opType === 'Constant') continue;
    for (const y of node.output) {
      if (!y || shapes.has(y)) continue;
      wanted.push(y);
      if (!outputs.has(y)) graph.output.push(create(ValueInfoProtoSchema, { name: y }));
      outputs.add(y);
    }
  }
  const runner = await runtime.openTensorRunner(copy, mapTensors(proto, copy, external), { what: 'the shape probe', optimization: 'disabled', signal });
  try {
    const out = await runner.run(feeds, wanted);
    for (const [name, t] of Object.entries(out)) shapes.set(name, [...t.dims]);
  } finally {
    await runner.release();
  }
  for (const node of graph.node) {
    if (node.opType !== 'Constant') continue;
    const v = node.attribute.find((a) => a.name === 'value')?.t;
    if (v) shapes.set(node.output[0], v.dims.map(Number));
  }
  return shapes;
}

function mapTensors(from: ModelProto, to: ModelProto, external: ReadonlyMap<TensorProto, ExternalRef>): Map<TensorProto, ExternalRef> {
  const out = new Map<TensorProto, ExternalRef>();
  if (!external.size) return out;
  const a = from.graph?.initializer ?? [];
  const b = to.graph?.initializer ?? [];
  a.forEach((t, i) => {
    const ref = external.get(t);
    if (ref && b[i]) out.set(b[i], ref);
  });
  return out;
}
