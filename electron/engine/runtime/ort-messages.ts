/**
 * onnxruntime's error messages in the studio's words: one line naming the node and the cause, onnxruntime's own text
 * kept in the error's details (the job log and `--json` show it).
 */
import { StudioError, type ErrorCode } from '../../../shared/api/errors';
import { plainText } from '../../../shared/security/untrusted-text';
import { declaredShape, ORT_RULES, q, type OrtInputFact, type RuleContext } from './ort-message-table';

export type { OrtInputFact } from './ort-message-table';

/** What the translation knows besides onnxruntime's text. */
export interface OrtErrorContext {
  /** the model as users know it: `resnet18.onnx`, `the float model` */
  model: string;
  /** whether the session was being created or run */
  phase: 'load' | 'run';
  /** the model's inputs and what the run gave them (run errors) */
  inputs?: readonly OrtInputFact[];
  /** onnxruntime's version (for IR and opset messages) */
  ortVersion?: string;
}

/** A node onnxruntime names in its message, and the control-flow nodes around it. */
interface FailedNode {
  name: string;
  op: string;
  /** the If/Loop/Scan nodes it runs inside, outermost first */
  outer: Array<{ name: string; op: string }>;
}

/** onnxruntime's message taken apart: the failing node (when it names one) and its innermost message. */
export interface ParsedOrtMessage {
  node: FailedNode | null;
  /** the innermost message, with onnxruntime's source locations, C++ signatures and assertions removed */
  message: string;
}

const RUN_CHAIN = /^Non-zero status code returned while running (\S+) node\. Name:'([\s\S]*?)' Status Message: /;
const LOAD_PREFIX = /^Load model from [\s\S]*? failed:/;
const IN_NODE = /^In Node, \("([\s\S]*?)", ([^,]*), "([\s\S]*?)", -?\d+\) : [\s\S]*? , Error /;
const NODE_OP = /^Node \(([\s\S]*?)\) Op \((\w+)\) /;
/** onnxruntime's source files are snake_case (`reshape_helper.h:91`), with or without their path */
const SOURCE = /(?:\/[^\s:]*\/)?[a-z_][a-z0-9_]*\.(?:h|hpp|cc|cpp|cu|c):\d+\s+/g;
/** a C++ signature after a source location: optional return type, a qualified name and its parameter list */
const SIGNATURE = /^(?:[\w:<>&*]+\s+)?(?:[\w~]+(?:<[^()]*?>)?::)+[\w~]+\((?:[^()]|\([^()]*\))*\)(?:\s*const)?\s*/;
/** a bare function name after a source location (`PrepareForComputeImpl Non concat …`) */
const BARE_FUNCTION = /^(?:[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|Compute|Init|Run|Validate)\s+(?=\S)/;
const ASSERTION = /^[^.]*? was false\.\s*/;

/** Removes onnxruntime's source locations (`/onnxruntime_src/…/x.h:91`), C++ signatures and failed assertions. */
export function stripSourceNoise(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SOURCE)) {
    out += text.slice(last, m.index);
    let rest = text.slice(m.index + m[0].length);
    const sig = SIGNATURE.exec(rest) ?? BARE_FUNCTION.exec(rest);
    if (sig) rest = rest.slice(sig[0].length);
    const assertion = ASSERTION.exec(rest);
    if (assertion) rest = rest.slice(assertion[0].length);
    last = text.length - rest.length;
  }
  return (out + text.slice(last)).replace(/^\[ONNXRuntimeError\] : \d+ : \w+ : /, '');
}

/**
 * Takes onnxruntime's message apart: the chain of nodes it ran (`Non-zero status code returned while running If node …
 * Status Message: …`), the node a load error names, and the innermost message without source noise.
 * @param raw - onnxruntime's text, as its exception carried it
 */
export function parseOrtMessage(raw: string): ParsedOrtMessage {
  let text = stripSourceNoise(raw.trim()).replace(LOAD_PREFIX, '').trim();
  const chain: Array<{ name: string; op: string }> = [];
  for (let m = RUN_CHAIN.exec(text); m; m = RUN_CHAIN.exec(text)) {
    chain.push({ op: m[1], name: m[2] });
    text = text.slice(m[0].length);
  }
  text = text.replace(/^This is an invalid model\.\s*/, '');
  let node: FailedNode | null = null;
  if (chain.length) {
    const last = chain[chain.length - 1];
    node = { ...last, outer: chain.slice(0, -1) };
  }
  const inNode = IN_NODE.exec(text);
  if (inNode) {
    if (!node) node = { name: inNode[1], op: inNode[2], outer: [] };
    text = text.slice(inNode[0].length);
  }
  const nodeOp = NODE_OP.exec(text);
  if (nodeOp && !node) node = { name: nodeOp[1], op: nodeOp[2], outer: [] };
  text = text.replace(/^Error:?\s*/, '').trim();
  return { node, message: text };
}

/** @returns the first line of onnxruntime's message, cleaned: dims as `[1, 3]`, one line, cut when long. */
export function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim()) ?? message;
  return plainText(line.trim().replace(/\{(-?\d+(?:,\s*-?\d+)*)?\}/g, (_, d: string | undefined) => `[${(d ?? '').split(',').map((x) => x.trim()).join(', ')}]`).replace(/\s+/g, ' '), 300);
}

function nodeText(node: FailedNode): string {
  const inside = node.outer.length ? `, inside ${node.outer.map((o) => `${o.op} ${q(o.name)}`).join(' › ')}` : '';
  return `node ${q(node.name)} (${plainText(node.op, 60)}${inside})`;
}

function inputsText(inputs: readonly OrtInputFact[]): string {
  const given = inputs.filter((i) => i.given);
  if (!given.length) return '';
  const list = given.slice(0, 4).map((i) => `${q(i.name)} [${i.given?.dims.join(', ')}] for ${declaredShape(i.declared)}`);
  return ` The model's inputs were given as ${list.join(', ')}${given.length > 4 ? `, and ${given.length - 4} more` : ''}.`;
}

/**
 * Turns onnxruntime's message into one line in the studio's words.
 * @param raw - onnxruntime's text
 * @param ctx - the model, the phase and (for runs) its inputs
 * @returns the error code and the message; onnxruntime's own text is not in it (it goes to the details)
 */
export function translateOrtMessage(raw: string, ctx: OrtErrorContext): { code: ErrorCode; message: string; rule: string } {
  const parsed = parseOrtMessage(raw);
  const ruleCtx: RuleContext = { inputs: ctx.inputs ?? [], ortVersion: ctx.ortVersion ?? 'this' };
  const model = plainText(ctx.model, 160);
  for (const rule of ORT_RULES) {
    const m = rule.re.exec(parsed.message);
    if (!m) continue;
    const cause = rule.cause(m, ruleCtx);
    const more = rule.shapes && ctx.phase === 'run' ? inputsText(ruleCtx.inputs) : '';
    return { code: rule.code, message: `${head(ctx.phase, model, cause.startsWith('node ') ? null : parsed.node)}: ${cause}.${more}`, rule: rule.id };
  }
  const code: ErrorCode = ctx.phase === 'load' ? 'INVALID_MODEL' : 'INFERENCE_FAILED';
  const said = firstLine(parsed.message).replace(/\.$/, '') || 'it gave no reason';
  return { code, message: `${head(ctx.phase, model, parsed.node)}: ${said}.`, rule: 'fallback' };
}

/** `onnxruntime cannot run node "n" (Op) in model` or `onnxruntime cannot load model: node "n" (Op)`. */
function head(phase: OrtErrorContext['phase'], model: string, node: FailedNode | null): string {
  if (phase === 'run') return node ? `onnxruntime cannot run ${nodeText(node)} in ${model}` : `onnxruntime cannot run ${model}`;
  return node ? `onnxruntime cannot load ${model}: ${nodeText(node)}` : `onnxruntime cannot load ${model}`;
}

/**
 * The studio's error for an exception onnxruntime threw.
 * @param err - what onnxruntime threw (a StudioError passes through unchanged)
 * @param ctx - the model, the phase and (for runs) its inputs
 * @returns a coded error with one line in the studio's words and onnxruntime's text in `details.onnxruntime`
 */
export function ortError(err: unknown, ctx: OrtErrorContext): StudioError {
  if (err instanceof StudioError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const { code, message } = translateOrtMessage(raw, ctx);
  return new StudioError(code, message, { cause: err, details: { onnxruntime: raw } });
}
