/** Opset conversion of ONNX models (the ai.onnx domain), up to the newest opset the bundled onnxruntime runs. */
export {
  convertOpset,
  LATEST_OPSET,
  OLDEST_DOWN_TARGET,
  type ConvertOptions,
  type OpConversionSummary,
  type OpsetConversion,
  type OpsetConversionReport,
} from './convert-opset';
export { convertModelFile, type ConvertFileResult } from './convert-file';
