/** Converts a model's ai.onnx opset, as onnx.version_converter does: every node of every graph, one version step at a time. */
import { clone } from '@bufbuild/protobuf';
import { StudioError, type ErrorCode } from '../../../../shared/api/errors';
import type { ExternalRef } from '../external-data';
import type { Graph } from '../ir/graph';
import { mapClonedTensors, ModelIR } from '../ir/model-ir';
import { ModelProtoSchema, type ModelProto, type NodeProto, type TensorProto } from '../proto';
import { DOWN_ADAPTERS, UP_ADAPTERS } from './adapter-table';
import { EXPERIMENTAL } from './adapters-experimental';
import { NodeStep, Refusal, type ConversionScope } from './convert-context';
import { removeDetached } from './detached';
import { checkAddedTypes, checkElementTypes, compatibleDown } from './down-checks';
import { modelFacts } from './facts';
import { finishFunctions, functionGraphs, refuseTrainingInfo } from './functions';
import { minIrVersion, NEWEST_KNOWN_OPSET, nextVersion, OP_VERSIONS, previousVersion, REMOVED_AT, schemaVersion } from './op-versions';
import { NEWEST_CONVERT_OPSET, OLDEST_CONVERT_OPSET } from '../../../../shared/api/opsets';

/**
 * The newest ai.onnx opset the converter writes. onnxruntime-node 1.30 loads opsets up to 26, but from opset 22 on it
 * lacks kernels for some operators (RoiAlign, MaxRoiPool, Bernoulli, RandomNormalLike, RandomUniformLike at 22), so
 * 21 is the newest opset every model it can run converts to.
 */
export const LATEST_OPSET = NEWEST_CONVERT_OPSET;

/** Down-conversion stops here: older opsets predate numpy broadcasting and most of today's operators. */
export const OLDEST_DOWN_TARGET = OLDEST_CONVERT_OPSET;

/** What happened to the nodes of one operator type. */
export interface OpConversionSummary {
  opType: string;
  /** nodes of this type whose operator version changed */
  nodes: number;
  /** operator versions before and after (e.g. Slice 1 → 13) */
  fromVersion: number;
  toVersion: number;
  /** the operator the nodes became, when an adapter replaced it (Upsample → Resize, Scatter → ScatterElements) */
  becomes?: string;
  /** each adapter that changed something (`Slice-10: starts/ends/axes attributes → inputs`) with its node count */
  adapters: Record<string, number>;
}

export interface OpsetConversionReport {
  fromOpset: number;
  toOpset: number;
  direction: 'up' | 'down' | 'none';
  irVersionBefore: number;
  irVersionAfter: number;
  /** graphs visited (the main graph and every If/Loop/Scan body) */
  graphs: number;
  /** ai.onnx nodes visited */
  nodes: number;
  ops: OpConversionSummary[];
  notes: string[];
}

export interface OpsetConversion {
  proto: ModelProto;
  report: OpsetConversionReport;
  /** the external-data references given in the options, keyed by the converted model's tensors (for saveModel) */
  external?: ReadonlyMap<TensorProto, ExternalRef>;
}

export interface ConvertOptions {
  /** external-data references of the model's tensors (`LoadedModel.external`), to read small external constants */
  external?: ReadonlyMap<TensorProto, ExternalRef>;
  /** edit `proto` itself instead of a copy (a failed conversion then leaves it partly converted) */
  inPlace?: boolean;
  /** the model's name in messages */
  name?: string;
}

/**
 * Converts the default-domain (ai.onnx) operators of a model to another opset.
 * @param proto - the model; left untouched unless `options.inPlace`
 * @param targetOpset - the ai.onnx opset to convert to (up to {@link LATEST_OPSET}; down to {@link OLDEST_DOWN_TARGET})
 * @param options - external data, in-place editing, a name for messages
 * @returns the converted model (the opset import updated, the IR version raised where the opset needs it) and a report
 * @throws StudioError `UNSUPPORTED_OP` (an operator without an adapter for the step) or `CONVERSION_FAILED` (an adapter
 * that cannot keep this node's meaning), naming every such node; `INVALID_REQUEST` for a target out of range
 */
export function convertOpset(proto: ModelProto, targetOpset: number, options: ConvertOptions = {}): OpsetConversion {
  const name = options.name ?? 'The model';
  const model = options.inPlace ? proto : clone(ModelProtoSchema, proto);
  const external = options.inPlace || !options.external ? options.external : mapClonedTensors(proto, model, options.external);
  const ir = new ModelIR(model);
  const found = ir.opset('');
  const from = found ?? targetOpset;
  checkTarget(targetOpset);
  if (found === undefined && hasDefaultNodes(ir)) throw new StudioError('INVALID_MODEL', `${name} has ai.onnx nodes but imports no ai.onnx opset; fix its opset_import first.`);
  checkSource(name, from, targetOpset);
  const irBefore = ir.irVersion;
  const irAfter = targetOpset > from ? Math.max(irBefore, minIrVersion(targetOpset)) : irBefore;
  const report: OpsetConversionReport = {
    fromOpset: from,
    toOpset: targetOpset,
    direction: targetOpset > from ? 'up' : targetOpset < from ? 'down' : 'none',
    irVersionBefore: irBefore,
    irVersionAfter: irAfter,
    graphs: 0,
    nodes: 0,
    ops: [],
    notes: [],
  };
  refuseTrainingInfo(name, model);
  const functions = functionGraphs(model, targetOpset, (f, what) => checkSource(what, f, targetOpset));
  if (from === targetOpset && functions.length === 0) {
    if (found === undefined) ir.setOpset('', targetOpset);
    return { proto: model, report, external };
  }
  const scope: ConversionScope = {
    target: targetOpset,
    irVersion: irAfter,
    facts: modelFacts(ir, external),
    external,
    detached: new Map(),
    fromUpsample: new WeakSet(),
    notes: new Set(),
    functionBodies: new WeakSet(functions.map((f) => f.graph)),
  };
  const tally = new Map<string, OpConversionSummary>();
  const refusals: Refusal[] = [];
  const graphs = [
    ...(from === targetOpset ? [] : [...ir.graph.allGraphs()].map((graph) => ({ graph, from }))),
    ...functions.flatMap((f) => [...f.graph.allGraphs()].map((graph) => ({ graph, from: f.from }))),
  ];
  for (const { graph, from: graphFrom } of graphs) {
    for (const node of [...graph.nodes]) {
      if (node.domain !== '' && node.domain !== 'ai.onnx') continue;
      report.nodes++;
      try {
        convertNode(scope, graph, node, graphFrom, tally);
      } catch (err) {
        if (!(err instanceof Refusal)) throw err;
        refusals.push(new Refusal(err.code, graph.parent ? `${err.message} (in ${graph.name})` : err.message));
      }
    }
  }
  if (refusals.length > 0) throw refusalError(name, from, targetOpset, refusals);
  removeDetached(scope.detached);
  finishFunctions(functions, targetOpset);
  ir.setOpset('', targetOpset);
  model.irVersion = BigInt(irAfter);
  report.graphs = graphs.length;
  report.ops = [...tally.values()].sort((a, b) => a.opType.localeCompare(b.opType));
  report.notes = [...scope.notes];
  return { proto: model, report, external };
}

/** Converts one node from opset `from` to the scope's target, recording what changed. */
function convertNode(scope: ConversionScope, graph: Graph, node: NodeProto, from: number, tally: Map<string, OpConversionSummary>): void {
  const opType = node.opType;
  const removedAt = REMOVED_AT[opType];
  const at = removedAt !== undefined && from >= removedAt ? removedAt - 1 : from;
  const start = schemaVersion(opType, at);
  const experimental = start === undefined && from < 10 && scope.target > from ? EXPERIMENTAL.get(opType) : undefined;
  if (experimental) {
    refuseAttributeReferences(node);
    const what = experimental.adapter(new NodeStep(scope, graph, node, 1, 1));
    const changes = [`${opType}: ${what}`, ...(stepUp(scope, graph, node, Math.max(from, experimental.matches ?? 0)) ?? [])];
    record(tally, opType, 1, schemaVersion(node.opType, scope.target) ?? 1, node, changes);
    return;
  }
  if (start === undefined) {
    const label = `node "${node.name || '(unnamed)'}" (${opType})`;
    const first = OP_VERSIONS[opType]?.[0];
    throw new Refusal(
      'UNSUPPORTED_OP',
      first !== undefined
        ? `${label}: ${opType} does not exist at opset ${from} (it appeared in opset ${first}); the model is invalid.`
        : `${label}: "${opType}" is not an ai.onnx operator (an experimental or custom op in the default domain); replace it, then convert.`,
    );
  }
  const changes = scope.target > at ? stepUp(scope, graph, node, at) : stepDown(scope, graph, node, at);
  if (changes !== undefined) record(tally, opType, start, schemaVersion(node.opType, scope.target) ?? start, node, changes);
}

function record(tally: Map<string, OpConversionSummary>, opType: string, from: number, to: number, node: NodeProto, changes: string[]): void {
  let entry = tally.get(opType);
  if (!entry) tally.set(opType, (entry = { opType, nodes: 0, fromVersion: from, toVersion: to, adapters: {} }));
  entry.nodes++;
  entry.toVersion = to;
  if (node.opType !== opType) entry.becomes = node.opType;
  for (const c of changes) entry.adapters[c] = (entry.adapters[c] ?? 0) + 1;
}

/** @returns the adapters' descriptions, or undefined when the node's version does not change. */
function stepUp(scope: ConversionScope, graph: Graph, node: NodeProto, from: number): string[] | undefined {
  const changes: string[] = [];
  let at = from;
  let stepped = false;
  for (let next = nextVersion(node.opType, at, scope.target); next !== undefined; next = nextVersion(node.opType, at, scope.target)) {
    const op = node.opType;
    const adapter = UP_ADAPTERS.get(`${op}@${next}`);
    if (adapter) refuseAttributeReferences(node);
    const what = adapter?.(new NodeStep(scope, graph, node, schemaVersion(op, at) ?? at, next));
    if (what) changes.push(`${op}-${next}: ${what}`);
    stepped = true;
    at = next;
  }
  return stepped ? changes : undefined;
}

function stepDown(scope: ConversionScope, graph: Graph, node: NodeProto, from: number): string[] | undefined {
  const changes: string[] = [];
  let cur = schemaVersion(node.opType, from) as number;
  const label = () => `node "${node.name || '(unnamed)'}" (${node.opType})`;
  while (schemaVersion(node.opType, scope.target) !== cur) {
    const op = node.opType;
    const key = `${op}@${cur}`;
    const prev = previousVersion(op, cur);
    const adapter = DOWN_ADAPTERS.get(key) ?? (UP_ADAPTERS.has(key) || prev === undefined ? undefined : compatibleDown);
    if (!adapter) {
      throw new Refusal(
        'UNSUPPORTED_OP',
        prev === undefined
          ? `${label()}: ${op} does not exist before opset ${cur}; keep opset ${cur} or more, or replace the node.`
          : `${label()}: no faithful conversion from ${op}-${cur} to ${op}-${prev} exists; keep opset ${cur} or more.`,
      );
    }
    refuseAttributeReferences(node);
    const step = new NodeStep(scope, graph, node, cur, prev ?? cur - 1);
    const what = adapter(step);
    checkAddedTypes(step);
    if (what) changes.push(`${op}-${cur} → ${prev ?? node.opType}: ${what}`);
    const next = node.opType !== op ? schemaVersion(node.opType, cur - 1) : prev;
    if (next === undefined) throw new Refusal('UNSUPPORTED_OP', `${label()}: no version of it exists at opset ${scope.target}.`);
    cur = next;
  }
  checkElementTypes(new NodeStep(scope, graph, node, cur, cur));
  return cur === schemaVersion(node.opType, from) && changes.length === 0 ? undefined : changes;
}

/** Adapters read attribute values; in a function, an attribute may instead name one of the function's attributes. */
function refuseAttributeReferences(node: NodeProto): void {
  const ref = node.attribute.find((a) => a.refAttrName !== '');
  if (ref) {
    throw new Refusal(
      'CONVERSION_FAILED',
      `node "${node.name || '(unnamed)'}" (${node.opType}): its attribute ${ref.name} refers to the function's attribute ${ref.refAttrName}, whose value is only known where the function is called. Inline the function, then convert.`,
    );
  }
}

function checkTarget(target: number): void {
  if (!Number.isInteger(target) || target < 1 || target > LATEST_OPSET) {
    throw new StudioError('INVALID_REQUEST', `Opset ${target} is not one the converter writes: choose an ai.onnx opset from ${OLDEST_DOWN_TARGET} to ${LATEST_OPSET}.`);
  }
}

/** Checks the opset a model (or one of its functions) is written for can be converted to `target`. */
function checkSource(what: string, from: number, target: number): void {
  if (from > NEWEST_KNOWN_OPSET) {
    throw new StudioError('UNSUPPORTED_OP', `${what} uses ai.onnx opset ${from}, newer than the converter knows (${NEWEST_KNOWN_OPSET}).`);
  }
  if (target < from && target < OLDEST_DOWN_TARGET) {
    throw new StudioError('INVALID_REQUEST', `Down-conversion goes no lower than opset ${OLDEST_DOWN_TARGET}; choose ${OLDEST_DOWN_TARGET} or more.`);
  }
}

function hasDefaultNodes(ir: ModelIR): boolean {
  for (const g of ir.graph.allGraphs()) if (g.nodes.some((n) => n.domain === '' || n.domain === 'ai.onnx')) return true;
  return false;
}

function refusalError(name: string, from: number, target: number, refusals: Refusal[]): StudioError {
  const code: ErrorCode = refusals.some((r) => r.code === 'UNSUPPORTED_OP') ? 'UNSUPPORTED_OP' : refusals[0].code;
  const shown = refusals.slice(0, 5).map((r) => r.message);
  const more = refusals.length > shown.length ? ` …and ${refusals.length - shown.length} more.` : '';
  return new StudioError(
    code,
    `${name} cannot be converted from opset ${from} to ${target}: ${refusals.length === 1 ? 'one node has' : `${refusals.length} nodes have`} ` +
      `no faithful conversion. ${shown.join(' ')}${more} Nothing was converted.`,
  );
}
