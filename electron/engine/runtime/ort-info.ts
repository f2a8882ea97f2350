/** Which onnxruntime-node this engine runs on. */
import * as ort from 'onnxruntime-node';

/** @returns onnxruntime-node's version, or `unknown`. */
export function ortVersion(): string {
  const versions = (ort.env as { versions?: Record<string, string> }).versions;
  return versions?.node ?? versions?.common ?? 'unknown';
}
