/** Model-level rules: an IR version and opset imports onnxruntime supports, and a suggestion for old opsets. */
import { MODERN_OPSET, NEWEST_CONVERT_OPSET } from '../../../../shared/api/opsets';
import type { ModelProto } from '../proto';
import { normalDomain, type ValidateContext } from './context';
import { quote } from './problems';
import { MAX_IR_VERSION, MAX_OPSET, OLDEST_WELL_SUPPORTED_OPSET, RUNTIME_VERSION } from './runtime-limits';

/**
 * Checks the IR version and the opset imports.
 * @param ctx - the validation run
 * @param model - the model
 */
export function checkModelHeader(ctx: ValidateContext, model: ModelProto): void {
  const ir = ctx.irVersion;
  if (ir > MAX_IR_VERSION) {
    ctx.problems.add({
      severity: 'error',
      code: 'IR_VERSION_UNSUPPORTED',
      message: `The model's IR version is ${ir}; onnxruntime-node ${RUNTIME_VERSION} reads IR versions up to ${MAX_IR_VERSION}.`,
      fix: `The file comes from a newer ONNX than the runtime knows: re-export it with an older exporter or ONNX package (IR ${MAX_IR_VERSION} or older), or use a newer Deploy Studio.`,
    });
  }
  if (model.opsetImport.length === 0) {
    ctx.problems.add({
      severity: 'error',
      code: 'NO_OPSET_IMPORT',
      message: 'The model imports no opset (its opset_import list is empty), so no operator version can be resolved.',
      fix: 'Re-export the model; or add an opset_import for ai.onnx (domain "") with the opset it was written for.',
    });
    return;
  }
  const seen = new Set<string>();
  for (const o of model.opsetImport) {
    const domain = normalDomain(o.domain);
    const name = domain || 'ai.onnx';
    const version = Number(o.version);
    if (seen.has(domain)) {
      ctx.problems.add({
        severity: 'warning',
        code: 'DUPLICATE_OPSET_IMPORT',
        message: `The model imports ${name} twice; the first import (opset ${ctx.opsets.get(domain)}) is used.`,
        fix: 'Re-export the model with one opset_import per domain.',
      });
      continue;
    }
    seen.add(domain);
    const max = MAX_OPSET[domain];
    if (version < 1) {
      ctx.problems.add({
        severity: 'error',
        code: 'OPSET_UNSUPPORTED',
        message: `The model imports ${quote(name)} at opset ${version}; opsets start at 1.`,
        fix: 'Re-export the model; its opset_import is corrupt.',
      });
    } else if (max !== undefined && version > max) {
      ctx.problems.add({
        severity: 'error',
        code: 'OPSET_UNSUPPORTED',
        message: `The model imports ${name} opset ${version}; onnxruntime-node ${RUNTIME_VERSION} implements ${name} up to opset ${max}.`,
        fix:
          domain === ''
            ? `Re-export at opset ${max} or older, or convert it down: \`${ctx.convertCommand(NEWEST_CONVERT_OPSET)}\`.`
            : `Re-export the model at ${name} opset ${max} or older.`,
      });
    }
  }
  const main = ctx.opsets.get('');
  if (main !== undefined && main >= 1 && main < MODERN_OPSET) {
    const veryOld = main < OLDEST_WELL_SUPPORTED_OPSET;
    ctx.problems.add({
      severity: veryOld ? 'warning' : 'info',
      code: 'OLD_OPSET',
      message: veryOld
        ? `The model uses ai.onnx opset ${main}; onnxruntime has no kernels for many operators before opset ${OLDEST_WELL_SUPPORTED_OPSET}.`
        : `The model uses ai.onnx opset ${main}, an old export; per-channel int8 quantization and many fused kernels need opset ${MODERN_OPSET} or newer.`,
      fix: `Convert it: \`${ctx.convertCommand(NEWEST_CONVERT_OPSET)}\`, or the Convert pass in Optimize.`,
    });
  }
}
