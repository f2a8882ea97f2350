/** The onnxruntime messages the studio knows, each turned into a cause in the studio's words (see ort-messages.ts). */
import type { ErrorCode } from '../../../shared/api/errors';
import { plainText } from '../../../shared/security/untrusted-text';

/** What a rule's text may use besides its match: the node that failed and the model's inputs. */
export interface RuleContext {
  /** the model's inputs as the session declares them, with what was given (run errors) */
  inputs: readonly OrtInputFact[];
  /** the onnxruntime version, for "newer than this onnxruntime reads" */
  ortVersion: string;
}

/** One model input: declared type and shape, and what the run gave it. */
export interface OrtInputFact {
  name: string;
  dtype: string;
  declared: ReadonlyArray<number | string | null> | null;
  given?: { dtype: string; dims: readonly number[] };
}

/** A known onnxruntime message: the pattern, the error code and the cause (and the step to take) in the studio's words. */
export interface OrtRule {
  id: string;
  /** matched against onnxruntime's innermost message (source paths and C++ signatures removed) */
  re: RegExp;
  code: ErrorCode;
  /** the cause, completing "onnxruntime cannot run node "n" (Op) in model: …"; may name a node itself */
  cause: (m: RegExpExecArray, ctx: RuleContext) => string;
  /** true when the model's inputs are worth naming after the cause (shape errors the inputs may explain) */
  shapes?: boolean;
}

/** @returns a model name quoted for a one-line message (controls escaped, long names cut). */
export const q = (name: string) => `"${plainText(name, 120)}"`;

/** @returns onnxruntime's `{1,16000}` written as `[1, 16000]`. */
export const dims = (text: string) => `[${text.split(',').map((d) => d.trim()).filter(Boolean).join(', ')}]`;

/** @returns a declared shape as `[batch, 3, 224, 224]` (`?` for an unnamed dim). */
export const declaredShape = (shape: ReadonlyArray<number | string | null> | null) =>
  shape ? `[${shape.map((d) => (d === null ? '?' : typeof d === 'string' ? plainText(d, 40) : String(d))).join(', ')}]` : 'of unknown shape';

const group = (n: string) => Number(n).toLocaleString('en-US');
const input = (ctx: RuleContext, name: string) => ctx.inputs.find((i) => i.name === name);
const inputShapes = (ctx: RuleContext, name: string) => {
  const i = input(ctx, name);
  if (!i) return '';
  return ` (given ${i.given ? `[${i.given.dims.join(', ')}]` : 'nothing'}, declared ${declaredShape(i.declared)})`;
};

/** The table, most specific first. The first rule whose pattern matches the innermost message wins. */
export const ORT_RULES: readonly OrtRule[] = [
  // ---- load time: onnxruntime's shape and type inference over the declared shapes (before the kernel rules)
  {
    id: 'shape-inference',
    re: /^Node \(([\s\S]*?)\) Op \((\w+)\) \[(Shape|Type)InferenceError\] ([^\n]*)/,
    code: 'INVALID_MODEL',
    cause: (m) => `the ${m[3] === 'Shape' ? 'shapes' : 'element types'} the model declares do not fit this operator (${plainText(m[4].replace(/\.$/, ''), 200).replace(/^./, (c) => c.toLowerCase())})`,
  },
  // ---- run time: the inputs onnxruntime checks before it runs anything
  {
    id: 'input-dims',
    re: /^Got invalid dimensions for input: ([\s\S]*?) for the following indices\s+([\s\S]*?)\s*Please fix/,
    code: 'INVALID_INPUT',
    cause: (m, ctx) => {
      const wrong = [...m[2].matchAll(/index: (\d+) Got: (-?\d+) Expected: (-?\d+)/g)].map((w) => `dimension ${w[1]} is ${w[2]} where the model expects ${w[3]}`);
      return `input ${q(m[1])} has the wrong size: ${wrong.join(', ')}${inputShapes(ctx, m[1])}`;
    },
  },
  {
    id: 'input-rank',
    re: /^Invalid rank for input: ([\s\S]*?) Got: (\d+) Expected: (\d+)/,
    code: 'INVALID_INPUT',
    cause: (m, ctx) => `input ${q(m[1])} has ${m[2]} dimensions where the model expects ${m[3]}${inputShapes(ctx, m[1])}`,
  },
  {
    id: 'input-type',
    re: /^Unexpected input data type\. Actual: \(tensor\((\w+)\)\) , expected: \(tensor\((\w+)\)\)/,
    code: 'INVALID_INPUT',
    cause: (m, ctx) => {
      const name = ctx.inputs.find((i) => i.given && i.given.dtype !== i.dtype)?.name;
      return `${name ? `input ${q(name)}` : 'an input'} holds ${m[1]} values where the model expects ${m[2]}: give ${m[2] === 'float' ? 'float32' : m[2]} data`;
    },
  },
  {
    id: 'input-missing',
    re: /^input '([\s\S]*)' is missing in 'feeds'/,
    code: 'INVALID_INPUT',
    cause: (m, ctx) => {
      const cut = ctx.inputs.find((i) => i.name.includes('\0') && i.name.startsWith(m[1]));
      return cut
        ? `input ${q(cut.name)} holds a NUL character, and onnxruntime-node cuts names at NUL, so it cannot be fed: rename the input in the model`
        : `input ${q(m[1])} was given no data`;
    },
  },
  {
    id: 'output-name',
    re: /^'fetches' contains invalid output name: ([\s\S]*?)\.?$/,
    code: 'INVALID_REQUEST',
    cause: (m) => `the model has no output named ${q(m[1])}`,
  },
  // ---- run time: a node's kernel refuses its inputs
  {
    id: 'reshape',
    re: /The input tensor cannot be reshaped to the requested shape\. Input shape:\{([^}]*)\}, requested shape:\{([^}]*)\}/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `its input has shape ${dims(m[1])}, which cannot become ${dims(m[2])} (the number of values differs)`,
    shapes: true,
  },
  {
    id: 'invalid-input-shape',
    re: /^Invalid input shape: \{([^}]*)\}/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `its input has shape ${dims(m[1])}, which this operator cannot take (too few dimensions, or a size too small for its kernel)`,
    shapes: true,
  },
  {
    id: 'rank-only',
    re: /^Input (\w+) must have (\d+) dimensions only\. Actual:\{([^}]*)\}/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `its input ${m[1]} has shape ${dims(m[3])}, but it needs exactly ${m[2]} dimensions`,
    shapes: true,
  },
  {
    id: 'conv-rank',
    re: /^X num_dims does not match W num_dims\. X: \{([^}]*)\} W: \{([^}]*)\}/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `its input has shape ${dims(m[1])}, but its weights ${dims(m[2])} need an input with ${m[2].split(',').length} dimensions`,
    shapes: true,
  },
  {
    id: 'conv-channels',
    re: /^Input channels C is not equal to kernel channels \* group\. C: (\d+) kernel channels: (\d+) group: (\d+)/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `its input has ${m[1]} channels, but its weights expect ${Number(m[2]) * Number(m[3])} (${m[2]} per group × ${m[3]} group${m[3] === '1' ? '' : 's'})`,
    shapes: true,
  },
  {
    id: 'broadcast',
    re: /Attempting to broadcast an axis by a dimension other than 1\. (\d+) by (\d+)/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `its inputs have sizes ${m[1]} and ${m[2]} on the same axis, which cannot be broadcast (one of them must be 1)`,
    shapes: true,
  },
  {
    id: 'concat',
    re: /Non concat axis dimensions must match: Axis (\d+) has mismatched dimensions of (\d+) and (\d+)/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `its inputs differ on axis ${m[1]} (${m[2]} and ${m[3]}), and only the concatenation axis may differ`,
    shapes: true,
  },
  {
    id: 'matmul',
    re: /MatMul dimension mismatch|Incompatible dimensions for matrix multiplication/,
    code: 'INFERENCE_FAILED',
    cause: () => 'the inner dimensions of its two inputs differ, so they cannot be multiplied',
    shapes: true,
  },
  {
    id: 'gemm-bias',
    re: /^Gemm: Invalid bias shape for broadcast/,
    code: 'INFERENCE_FAILED',
    cause: () => 'its bias has a shape that does not broadcast to the product of its inputs',
    shapes: true,
  },
  {
    id: 'gather-index',
    re: /indices element out of data bounds, idx=(-?\d+) must be within the inclusive range \[(-?\d+),(-?\d+)\]/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `it reads index ${m[1]}, outside [${m[2]}, ${m[3]}]: an input value (a token id, a class, a position) is out of range for this model`,
  },
  {
    id: 'axis-range',
    re: /axis (-?\d+) is not in valid range \[(-?\d+),(-?\d+)\]/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `its axis ${m[1]} does not exist in its input (valid axes: ${m[2]} to ${m[3]}), so the input has fewer dimensions than the model was made for`,
    shapes: true,
  },
  {
    id: 'transpose-perm',
    re: /^perm size: (\d+) does not match input rank: (\d+)/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `it reorders ${m[1]} dimensions, but its input has ${m[2]}`,
    shapes: true,
  },
  {
    id: 'split',
    re: /^Cannot split using values in 'split' attribute\. Axis=(-?\d+) Input shape=\{([^}]*)\}[\s\S]*?Sum of sizes in 'split' \(must equal size of selected axis\) was (\d+)/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `its split sizes add up to ${m[3]}, but axis ${m[1]} of its input ${dims(m[2])} has ${m[2].split(',')[Number(m[1])]?.trim() ?? 'another size'}`,
    shapes: true,
  },
  {
    id: 'expand',
    re: /^invalid expand shape/,
    code: 'INFERENCE_FAILED',
    cause: () => 'its input cannot be expanded to the requested shape (sizes must match or be 1)',
    shapes: true,
  },
  {
    id: 'slice',
    re: /Starts and ends shape mismatch/,
    code: 'INFERENCE_FAILED',
    cause: () => 'its starts and ends inputs have different lengths',
  },
  {
    id: 'buffer-reuse',
    re: /^Shape mismatch attempting to re-use buffer\. \{([^}]*)\} != \{([^}]*)\}/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `a tensor has shape ${dims(m[2])} where the model declares ${dims(m[1])}: a named dimension used in several places must have one size`,
    shapes: true,
  },
  {
    id: 'out-of-memory',
    re: /Failed to allocate memory for requested buffer of size (\d+)|bad_alloc|bad allocation/,
    code: 'INFERENCE_FAILED',
    cause: (m) => `it ran out of memory${m[1] ? ` (asking for ${group(m[1])} bytes)` : ''}: use smaller inputs (batch, length, resolution) or a machine with more memory`,
    shapes: true,
  },
  // ---- load time: the model's structure
  {
    id: 'topo-main',
    re: /^Invalid model\. Node input '([\s\S]*?)' is not a graph input, initializer, or output of a previous node/,
    code: 'INVALID_MODEL',
    cause: (m) => `a node reads ${q(m[1])}, which no earlier node produces: the graph is not in topological order or an input is missing (deploy-studio inspect lists the model's problems)`,
  },
  {
    id: 'topo-sub',
    re: /Nodes in a graph must be topologically sorted, however input '([\s\S]*?)' of node:\s*name: ([\s\S]*?) OpType: (\S+)\s+is not output of any previous nodes/,
    code: 'INVALID_MODEL',
    cause: (m) => `node ${q(m[2])} (${m[3]}) reads ${q(m[1])}, which no earlier node produces: the graph is not in topological order or an input is missing (deploy-studio inspect lists the model's problems)`,
  },
  {
    id: 'duplicate-output',
    re: /Duplicate definition of name \(([\s\S]*)\)/,
    code: 'INVALID_MODEL',
    cause: (m) => `more than one node writes the tensor ${q(m[1])}, and each tensor must have one producer`,
  },
  {
    id: 'duplicate-node-name',
    re: /two nodes with same node name \(([\s\S]*)\)/,
    code: 'INVALID_MODEL',
    cause: (m) => `two nodes are named ${q(m[1])}, and node names must be unique`,
  },
  {
    id: 'no-opset',
    re: /Missing opset in the model/,
    code: 'INVALID_MODEL',
    cause: () => 'it imports no operator set (opset_import is empty): export it again, or add the ai.onnx opset it was made for',
  },
  {
    id: 'ir-version',
    re: /Unsupported model IR version: (\d+), max supported IR version: (\d+)/,
    code: 'INVALID_MODEL',
    cause: (m, ctx) => `its IR version ${m[1]} is newer than onnxruntime ${ctx.ortVersion} reads (up to ${m[2]}): export it with an older exporter`,
  },
  {
    id: 'opset-future',
    re: /Opset (\d+) is under development[\s\S]*?Current official support for domain (\S+) is till opset (\d+)/,
    code: 'UNSUPPORTED_OP',
    cause: (m, ctx) => `it uses ${m[2]} opset ${m[1]}, newer than onnxruntime ${ctx.ortVersion} supports (up to ${m[3]}): convert it to an older opset (deploy-studio convert --opset ${m[3]})`,
  },
  {
    id: 'no-op',
    re: /No Op registered for (\S+) with domain_version of (\d+)/,
    code: 'UNSUPPORTED_OP',
    cause: (m) => `the operator ${plainText(m[1], 60)} does not exist at opset ${m[2]} of its domain: convert the model to an opset that has it, or replace the operator`,
  },
  {
    id: 'not-registered',
    re: /^(?:Fatal error:\s*)?(?:([^\s:]*):)?([^\s:]+)\((-?\d+)\) is not a registered function\/op/,
    code: 'UNSUPPORTED_OP',
    cause: (m) => `onnxruntime has no operator ${plainText(m[2], 60)}${m[1] ? ` in domain ${q(m[1])}` : ''}: the model needs a custom-op library, or another export of it`,
  },
  {
    id: 'no-kernel',
    re: /Could not find an implementation for (\S+)\((\d+)\) node with name '([\s\S]*?)'/,
    code: 'UNSUPPORTED_OP',
    cause: (m) => `node ${q(m[3])} (${m[1]}, opset ${m[2]}) has no CPU kernel in onnxruntime for its input types: convert the model to a newer opset, change the element type, or replace the operator`,
  },
  {
    id: 'no-domain-import',
    re: /No opset import for domain '([\s\S]*?)'/,
    code: 'INVALID_MODEL',
    cause: (m) => `it uses the operator domain ${q(m[1])} without importing it (opset_import): export it again`,
  },
  {
    id: 'unknown-attribute',
    re: /Unrecognized attribute: ([\s\S]*?) for operator (\S+)/,
    code: 'INVALID_MODEL',
    cause: (m) => `it has an attribute ${q(m[1])} that ${m[2]} does not define`,
  },
  {
    id: 'attribute-type',
    re: /Mismatched attribute type in '([\s\S]*?) : ([\s\S]*?)'\. Expected: '(\w+)', actual: '(\w+)'/,
    code: 'INVALID_MODEL',
    cause: (m) => `its attribute ${q(m[2])} is ${m[4]}, but the operator needs ${m[3]}`,
  },
  {
    id: 'input-no-type',
    re: /Model input \(([\s\S]*?)\) does not have type information/,
    code: 'INVALID_MODEL',
    cause: (m) => `its input ${q(m[1])} has no type: export it again, or give the input an element type and shape`,
  },
  {
    id: 'input-count',
    re: /Node\(([\s\S]*?)\) with schema\(([^)]*)\) has (input|output) size (\d+) not in range \[min=(\d+), max=(\d+)\]/,
    code: 'INVALID_MODEL',
    cause: (m) => `node ${q(m[1])} (${m[2].split(':').filter(Boolean)[0] ?? 'its operator'}) has ${m[4]} ${m[3]}${m[4] === '1' ? '' : 's'}, but the operator takes ${m[5] === m[6] ? m[5] : `${m[5]} to ${m[6]}`}`,
  },
  {
    id: 'type-bound',
    re: /Type parameter \((\w+)\) of Optype \((\w+)\) bound to different types \((?:tensor\()?(\w+)\)? and (?:tensor\()?(\w+)\)?\)? in node \(([\s\S]*?)\)/,
    code: 'INVALID_MODEL',
    cause: (m) => `node ${q(m[5])} (${m[2]}) mixes ${m[3]} and ${m[4]} inputs where ${m[2]} needs one element type: insert a Cast, or export the model again`,
  },
  {
    id: 'input-type-invalid',
    re: /Type '([\w()]+)' of input parameter \(([\s\S]*?)\) of operator \((\w+)\) in node \(([\s\S]*?)\) is invalid/,
    code: 'UNSUPPORTED_OP',
    cause: (m) => `node ${q(m[4])} (${m[3]}) takes input ${q(m[2])} of type ${m[1]}, which ${m[3]} does not accept`,
  },
  {
    id: 'tensor-size',
    re: /Deserialize tensor ([\s\S]*?) failed\.\s*([\s\S]*)/,
    code: 'INVALID_MODEL',
    cause: (m) => `the stored data of tensor ${q(m[1])} cannot be read${/size/i.test(m[2]) ? ': its size does not match its dims and element type' : ''}`,
  },
  {
    id: 'cut-short',
    re: /^In Node, \("([^"]*)"?(?:, (\w+))?/,
    code: 'INVALID_MODEL',
    cause: (m) => `node ${q(m[1])}${m[2] ? ` (${m[2]})` : ''} is invalid, and onnxruntime's reason was cut short, as happens when a name holds a NUL character (deploy-studio inspect lists the model's problems)`,
  },
  {
    id: 'protobuf',
    re: /Protobuf parsing failed/,
    code: 'NOT_ONNX',
    cause: () => 'the file is not an ONNX model protobuf onnxruntime can parse',
  },
];
