/**
 * What the bundled onnxruntime-node (1.30) accepts: the newest IR version and opsets, and the operator domains it
 * implements. Measured by loading probe models; test/engine/validate-runtime-limits.test.ts re-measures them.
 */

/** The onnxruntime-node version these limits were measured on. */
export const RUNTIME_VERSION = '1.30';

/** The newest IR version onnxruntime loads (14 is refused). */
export const MAX_IR_VERSION = 13;

/** The newest opset onnxruntime implements per domain (`''` is ai.onnx); a higher import is refused at load. */
export const MAX_OPSET: Readonly<Record<string, number>> = {
  '': 26,
  'ai.onnx.ml': 5,
  'com.microsoft': 1,
};

/**
 * Domains onnxruntime implements operators of beyond the ONNX standard: their nodes are not checked against a
 * schema (the validator has none), and they raise no unknown-domain warning.
 */
export const RUNTIME_DOMAINS: ReadonlySet<string> = new Set([
  'com.microsoft',
  'com.microsoft.nchwc',
  'com.microsoft.experimental',
  'com.microsoft.dml',
  'com.ms.internal.nhwc',
  'org.pytorch.aten',
  'ai.onnx.training',
]);

/** Below this ai.onnx opset onnxruntime lacks kernels for many operators (Relu-1, for one, is refused). */
export const OLDEST_WELL_SUPPORTED_OPSET = 7;

/** The newest opset at which onnxruntime still runs the experimental operators removed from ONNX (ImageScaler, Crop, …). */
export const LAST_EXPERIMENTAL_OPSET = 9;
