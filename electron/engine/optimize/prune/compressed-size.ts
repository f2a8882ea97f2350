/** The size of a model as stored, and deflated with zlib as a compressed package carries it (where zeros pay off). */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { encodeModel } from '../../onnx/codec';
import { readExternal, type ExternalRef } from '../../onnx/external-data';
import { forEachTensor } from '../../onnx/walk';
import type { ModelProto } from '../../onnx/proto';
import type { ExternalMap } from './weights';

const deflateRaw = promisify(zlib.deflateRaw);

/** Bytes of a model (with its external data) dense and deflated. */
export interface PackageSizes {
  dense: number;
  compressed: number;
}

/**
 * Measures a model by deflating its encoded bytes and external tensors (level 6, as the package's ZIP writer does).
 * @param external - external data references of its tensors (their bytes are deflated too)
 */
export async function packageSizes(proto: ModelProto, external: ExternalMap): Promise<PackageSizes> {
  const encoded = encodeModel(proto);
  let dense = encoded.length;
  let compressed = (await deflateRaw(encoded, { level: 6 })).length;
  const refs: ExternalRef[] = [];
  forEachTensor(proto, (t) => {
    const ref = external.get(t);
    if (ref) refs.push(ref);
  });
  for (const ref of refs) {
    const bytes = readExternal(ref);
    dense += bytes.length;
    compressed += (await deflateRaw(bytes, { level: 6 })).length;
  }
  return { dense, compressed };
}
