/** Opsets the studio converts between: the newest one the bundled onnxruntime runs every ai.onnx op of, and the oldest target. */

/**
 * The newest ai.onnx opset conversion targets: onnxruntime-node 1.30 loads up to 26, but lacks kernels for some ops'
 * versions from 22 on (RoiAlign, MaxRoiPool, Bernoulli, RandomNormalLike/RandomUniformLike at 22, Swish at 25).
 */
export const NEWEST_CONVERT_OPSET = 21;

/** The oldest opset a model can be converted down to. */
export const OLDEST_CONVERT_OPSET = 7;

/** Below this opset, exports are old: per-channel int8 and many fused kernels need at least this one. */
export const MODERN_OPSET = 13;
