/** Node rules: the operator exists in its domain at the model's opset, and its inputs, outputs and attributes fit the schema. */
import { NEWEST_CONVERT_OPSET } from '../../../../shared/api/opsets';
import { AttributeType } from '../proto';
import { normalDomain, type ValidateContext } from './context';
import { isStandardDomain, lookupOp, type OpSchema } from './op-schemas';
import { capital, nodeText, quote, type NodeRef } from './problems';
import { LAST_EXPERIMENTAL_OPSET, RUNTIME_DOMAINS, RUNTIME_VERSION } from './runtime-limits';

const TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(AttributeType)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

/** @returns the attribute type's name as ONNX spells it (`INT`, `FLOATS`, …). */
function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `type ${type}`;
}

/**
 * Checks a node against its operator's schema.
 * @param ctx - the validation run (opsets, functions, findings)
 * @param ref - the node and where it sits
 */
export function checkNode(ctx: ValidateContext, ref: NodeRef): void {
  const node = ref.node;
  // the common case first: an ai.onnx node of a model importing ai.onnx, without model-local functions
  if (node.domain === '' && ctx.defaultOpset !== undefined && ctx.functions.size === 0) {
    const found = ctx.defaultOps.get(node.opType) ?? lookupOp('', node.opType, ctx.defaultOpset);
    if (found.kind === 'found') {
      ctx.defaultOps.set(node.opType, found);
      if (found.schema) checkAgainstSchema(ctx, ref, found.schema);
      return;
    }
  }
  const domain = normalDomain(node.domain);
  if (ctx.functions.size > 0 && ctx.functions.has(`${domain}\u0000${node.opType}`)) return;
  const opset = ctx.opsets.get(domain);
  if (opset === undefined) {
    ctx.noteDomain(ctx.unimported, domain, ref);
    return;
  }
  if (!isStandardDomain(domain)) {
    if (!RUNTIME_DOMAINS.has(domain)) ctx.noteDomain(ctx.unknownDomains, domain, ref);
    return;
  }
  const found = lookupOp(domain, node.opType, opset);
  if (found.kind === 'found') {
    if (found.schema) checkAgainstSchema(ctx, ref, found.schema);
    return;
  }
  if (found.kind === 'unchecked') return;
  const where = nodeText(ref);
  const domainName = domain || 'ai.onnx';
  const convert = `Convert the model: \`${ctx.convertCommand(NEWEST_CONVERT_OPSET)}\` (or the Convert pass in Optimize).`;
  switch (found.kind) {
    case 'unknown':
      ctx.problems.addAt(ref, {
        severity: 'error',
        code: 'UNKNOWN_OP',
        message: `${capital(where)} uses operator ${quote(node.opType)}, which does not exist in ${domainName}.`,
        fix: found.hint ? capital(found.hint) : 'Re-export the model with operators of the ONNX standard, or register a custom-op library that implements it (it then needs its own domain).',
      });
      return;
    case 'experimental':
      ctx.problems.addAt(ref, {
        severity: opset <= LAST_EXPERIMENTAL_OPSET ? 'warning' : 'error',
        code: 'EXPERIMENTAL_OP',
        message:
          `${capital(where)} uses the experimental operator ${node.opType}, which ONNX removed; onnxruntime runs it only up to opset ${LAST_EXPERIMENTAL_OPSET}` +
          (opset <= LAST_EXPERIMENTAL_OPSET ? '.' : `, and the model imports ${opset}.`),
        fix: `${convert} The converter rewrites ${node.opType} as standard operators.`,
      });
      return;
    case 'removed':
      ctx.problems.addAt(ref, {
        severity: 'error',
        code: 'DEPRECATED_OP',
        message: `${capital(where)} uses ${node.opType}, which ${domainName} removed at opset ${found.removedAt}; the model imports opset ${opset}.`,
        fix:
          node.opType === 'Upsample' || node.opType === 'Scatter'
            ? `${convert} The converter replaces ${node.opType} by ${node.opType === 'Upsample' ? 'Resize' : 'ScatterElements'}.`
            : 'Re-export the model with the operator that replaced it.',
      });
      return;
    case 'not-yet':
      ctx.problems.addAt(ref, {
        severity: 'error',
        code: 'OP_NOT_IN_OPSET',
        message: `${capital(where)} uses ${node.opType}, which ${domainName} defines from opset ${found.firstSince} on; the model imports opset ${opset}.`,
        fix: `The exporter wrote a newer operator than the opset it declared: re-export the model at ${domainName} opset ${found.firstSince} or newer.`,
      });
  }
}

const FIX_NODE = 'Re-export the model; a tool that edited it wrote the node wrongly.';

function checkAgainstSchema(ctx: ValidateContext, ref: NodeRef, schema: OpSchema): void {
  const node = ref.node;
  const opName = schema.label;
  if (node.input.length < schema.minInputs || node.input.length > schema.maxInputs) {
    const where = capital(nodeText(ref));
    ctx.problems.addAt(ref, {
      severity: 'error',
      code: 'INPUT_COUNT',
      message: `${where} has ${node.input.length} input(s); ${opName} takes ${range(schema.minInputs, schema.maxInputs)}.`,
      fix: FIX_NODE,
    });
  }
  if (node.output.length < schema.minOutputs || node.output.length > schema.maxOutputs) {
    const where = capital(nodeText(ref));
    ctx.problems.addAt(ref, {
      severity: 'error',
      code: 'OUTPUT_COUNT',
      message: `${where} has ${node.output.length} output(s); ${opName} has ${range(schema.minOutputs, schema.maxOutputs)}.`,
      fix: FIX_NODE,
    });
  }
  for (let i = 0; i < node.input.length && i < schema.inputs.length; i++) {
    if (schema.inputs[i] === 'S' && node.input[i] === '') {
      ctx.problems.addAt(ref, {
        severity: 'error',
        code: 'EMPTY_REQUIRED_INPUT',
        message: `${capital(nodeText(ref))} leaves input ${i} empty, but ${opName} requires it.`,
        fix: FIX_NODE,
      });
    }
  }
  if (ref.node.attribute.length > 0 || schema.hasRequired) checkAttributes(ctx, ref, schema, opName);
}

function checkAttributes(ctx: ValidateContext, ref: NodeRef, schema: OpSchema, opName: string): void {
  const where = () => capital(nodeText(ref));
  const attrs = ref.node.attribute;
  for (let i = 0; i < attrs.length; i++) {
    const attr = attrs[i];
    // function-body references are resolved per call; names starting with "__" are runtime-internal and exempt
    if (attr.refAttrName || attr.name.startsWith('__')) continue;
    const name = attr.name;
    if (attrs.findIndex((a) => a.name === name) < i) {
      ctx.problems.addAt(ref, { severity: 'error', code: 'DUPLICATE_ATTRIBUTE', message: `${where()} sets attribute ${quote(name)} twice.`, fix: 'Re-export the model.' });
    }
    const spec = schema.attributes.find((a) => a.name === name);
    if (!spec) {
      ctx.problems.addAt(ref, {
        severity: 'error',
        code: 'UNKNOWN_ATTRIBUTE',
        message: `${where()} has attribute ${quote(name)}, which ${opName} does not define (onnxruntime refuses it).`,
        fix: `Remove the attribute, or re-export at the opset whose ${ref.node.opType} has it.`,
      });
      continue;
    }
    if (attr.type === AttributeType.UNDEFINED && ctx.irVersion >= 2) {
      ctx.problems.addAt(ref, {
        severity: 'error',
        code: 'ATTRIBUTE_TYPE',
        message: `Attribute ${quote(name)} of ${nodeText(ref)} has no type; ${opName} expects ${typeName(spec.type)}.`,
        fix: 'Re-export the model; the tool that wrote it left the attribute type unset.',
      });
    } else if (attr.type !== AttributeType.UNDEFINED && attr.type !== spec.type) {
      ctx.problems.addAt(ref, {
        severity: 'error',
        code: 'ATTRIBUTE_TYPE',
        message: `Attribute ${quote(name)} of ${nodeText(ref)} is ${typeName(attr.type)}; ${opName} expects ${typeName(spec.type)}.`,
        fix: `Write the attribute as ${typeName(spec.type)} (re-export the model, or fix the tool that edited it).`,
      });
    }
  }
  if (!schema.hasRequired) return;
  for (const spec of schema.attributes) {
    if (spec.required && !attrs.some((a) => a.name === spec.name)) {
      ctx.problems.addAt(ref, {
        severity: 'error',
        code: 'MISSING_ATTRIBUTE',
        message: `${where()} lacks the attribute ${quote(spec.name)}, which ${opName} requires.`,
        fix: `Set the ${spec.name} attribute (${typeName(spec.type)}); re-export the model.`,
      });
    }
  }
}

/** Reports the domain-level findings gathered while nodes were checked. */
export function reportDomains(ctx: ValidateContext): void {
  // without any opset import every node is unimported: NO_OPSET_IMPORT already says so
  for (const [domain, use] of ctx.opsets.size > 0 ? ctx.unimported : []) {
    ctx.problems.addAt(use.first, {
      severity: 'error',
      code: 'DOMAIN_NOT_IMPORTED',
      message: `${opsText(use.ops)} use${total(use.ops) === 1 ? 's' : ''} domain ${quote(domain || 'ai.onnx')}, which the model imports no opset for (first: ${nodeText(use.first)}).`,
      fix: `Add an opset_import for ${quote(domain || 'ai.onnx')} (re-export the model).`,
    });
  }
  for (const [domain, use] of ctx.unknownDomains) {
    ctx.problems.addAt(use.first, {
      severity: 'warning',
      code: 'UNKNOWN_DOMAIN',
      message: `${opsText(use.ops)} belong${total(use.ops) === 1 ? 's' : ''} to domain ${quote(domain)}, which neither ONNX nor onnxruntime ${RUNTIME_VERSION} implements (first: ${nodeText(use.first)}).`,
      fix: 'The model needs the custom-op library that implements this domain; without it onnxruntime refuses to load the model. Re-export with standard operators to run it anywhere.',
    });
  }
}

function total(ops: Map<string, number>): number {
  let n = 0;
  for (const c of ops.values()) n += c;
  return n;
}

function opsText(ops: Map<string, number>): string {
  const list = [...ops].slice(0, 5).map(([op, n]) => (n > 1 ? `${op} ×${n}` : op));
  const more = ops.size > 5 ? ` and ${ops.size - 5} more operator(s)` : '';
  const n = total(ops);
  return `${n} node${n === 1 ? '' : 's'} (${list.join(', ')}${more})`;
}

function range(min: number, max: number): string {
  if (min === max) return String(min);
  return max === Infinity ? `${min} or more` : `${min} to ${max}`;
}
