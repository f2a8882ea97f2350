/** onnxruntime's own offline graph optimizations (constant folding, Conv+BN fusion …), written out as a new model. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { StudioError } from '../../../shared/api/errors';
import { ortVersion } from './ort-info';
import { ortError } from './ort-messages';

/**
 * Lets onnxruntime optimize a model and returns the optimized model's bytes.
 * @param modelBytes - the encoded model (its external data, if any, must be inlined by the caller)
 * @param level - `basic` keeps standard ONNX ops (portable); `extended` adds onnxruntime-only fused ops
 */
export async function ortOptimize(modelBytes: Uint8Array, level: 'basic' | 'extended'): Promise<Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-ort-opt-'));
  const out = path.join(dir, 'optimized.onnx');
  try {
    const session = await ort.InferenceSession.create(modelBytes, {
      graphOptimizationLevel: level,
      optimizedModelFilePath: out,
      intraOpNumThreads: 1,
      executionProviders: ['cpu'],
    });
    await session.release();
    if (!fs.existsSync(out)) throw new StudioError('INTERNAL', 'onnxruntime did not write the optimized model.');
    return fs.readFileSync(out);
  } catch (err) {
    throw ortError(err, { model: 'the model to optimize', phase: 'load', ortVersion: ortVersion() });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
