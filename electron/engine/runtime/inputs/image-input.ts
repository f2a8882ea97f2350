/** Turns an image file into a model input: decode and resize with sharp, then scale, mean/std, channel order, layout. */
import sharp from 'sharp';
import { StudioError } from '../../../../shared/api/errors';
import type { PreprocessConfig } from '../../../../shared/api/preprocess';
import type { DeclaredDim } from '../../../../shared/api/runtime-api';
import type { HostTensor, TensorDtype } from '../backend';
import { floatToHalfBits, zerosTensor } from '../host-tensor';

/** An image after preprocessing, before it is laid out as a tensor. */
export interface PreparedImage {
  tensor: HostTensor;
  /** the pixels the model sees (before scale and mean/std), HWC uint8 */
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/**
 * A config for a model without `preprocess.json`, read off its input shape: NCHW when axis 1 is 1 or 3, NHWC when the
 * last axis is; pixels scaled to [0, 1].
 * @returns null when the shape does not look like an image (rank 4 with 1 or 3 channels)
 */
export function configFromShape(shape: readonly DeclaredDim[]): PreprocessConfig | null {
  if (shape.length !== 4) return null;
  const size = (h: DeclaredDim, w: DeclaredDim) => (typeof h === 'number' && typeof w === 'number' ? { resize: { width: w, height: h, mode: 'stretch' as const } } : {});
  if (shape[1] === 1 || shape[1] === 3) return { layout: 'NCHW', channels: shape[1] === 1 ? 'grayscale' : 'rgb', scale: 255, ...size(shape[2], shape[3]) };
  if (shape[3] === 1 || shape[3] === 3) return { layout: 'NHWC', channels: shape[3] === 1 ? 'grayscale' : 'rgb', scale: 255, ...size(shape[1], shape[2]) };
  return null;
}

function centerCrop(data: Uint8Array, w: number, h: number, c: number, cw: number, ch: number): Uint8Array {
  const x0 = Math.max(0, Math.floor((w - cw) / 2));
  const y0 = Math.max(0, Math.floor((h - ch) / 2));
  const out = new Uint8Array(cw * ch * c);
  for (let y = 0; y < ch; y++) out.set(data.subarray(((y0 + y) * w + x0) * c, ((y0 + y) * w + x0 + cw) * c), y * cw * c);
  return out;
}

async function decode(bytes: Uint8Array, file: string, inputName: string, config: PreprocessConfig) {
  const channels = config.channels === 'grayscale' ? 1 : 3;
  let img = sharp(bytes, { failOn: 'error' }).rotate().flatten({ background: '#000000' });
  img = channels === 1 ? img.grayscale() : img.toColourspace('srgb');
  const r = config.resize;
  if (r) {
    const fit = { stretch: 'fill', cover: 'cover', contain: 'contain', shorter: 'outside' } as const;
    const square = r.mode === 'shorter' ? Math.min(r.width, r.height) : undefined;
    img = img.resize(square ?? r.width, square ?? r.height, { fit: fit[r.mode], background: '#000000', kernel: 'lanczos3' });
  }
  try {
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, got: info.channels, channels };
  } catch (err) {
    throw new StudioError(
      'INVALID_INPUT',
      `${file} cannot be read as an image (${(err as Error).message.replace(/\s+/g, ' ').trim()}). Input "${inputName}" expects an image ` +
        '(PNG, JPEG, WebP, GIF, TIFF or AVIF) or a tensor file (.npy, .npz, .pb, .json).',
    );
  }
}

/**
 * Preprocesses an image.
 * @param bytes - the image file's content
 * @param file - its name, for messages
 * @param inputName - the model input it feeds
 * @param dtype - the input's element type (float32/float16/float64 get scale and mean/std; uint8 gets raw pixels)
 * @param config - the preprocessing config
 * @throws StudioError `INVALID_INPUT` for files sharp cannot decode, or a dtype images cannot feed
 */
export async function imageToTensor(bytes: Uint8Array, file: string, inputName: string, dtype: TensorDtype, config: PreprocessConfig): Promise<PreparedImage> {
  if (!['float32', 'float16', 'float64', 'uint8'].includes(dtype)) {
    throw new StudioError('INVALID_INPUT', `Input "${inputName}" is ${dtype}; images can only feed float or uint8 inputs. Give a tensor file (.npy, .pb, .json) instead of ${file}.`);
  }
  const d = await decode(bytes, file, inputName, config);
  let { width, height } = d;
  const c = d.channels;
  let pixels: Uint8Array = d.data;
  if (d.got !== c) {
    // sharp keeps an extra channel in rare cases (e.g. CMYK sources); keep the first c
    const fixed = new Uint8Array(width * height * c);
    for (let i = 0; i < width * height; i++) for (let k = 0; k < c; k++) fixed[i * c + k] = pixels[i * d.got + Math.min(k, d.got - 1)];
    pixels = fixed;
  }
  if (config.crop) {
    pixels = centerCrop(pixels, width, height, c, Math.min(config.crop.width, width), Math.min(config.crop.height, height));
    width = Math.min(config.crop.width, width);
    height = Math.min(config.crop.height, height);
  }
  const nchw = config.layout === 'NCHW';
  const dims = nchw ? [1, c, height, width] : [1, height, width, c];
  const tensor = zerosTensor(dtype, dims, `Input "${inputName}"`);
  const out = tensor.data as Float32Array | Float64Array | Uint16Array | Uint8Array;
  const mean = config.mean ?? [0];
  const std = config.std ?? [1];
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    for (let k = 0; k < c; k++) {
      const src = config.channels === 'bgr' ? c - 1 - k : k;
      const raw = pixels[i * c + src];
      const at = nchw ? k * plane + i : i * c + k;
      if (dtype === 'uint8') {
        out[at] = raw;
        continue;
      }
      const v = (raw / config.scale - mean[Math.min(k, mean.length - 1)]) / std[Math.min(k, std.length - 1)];
      out[at] = dtype === 'float16' ? floatToHalfBits(v) : v;
    }
  }
  return { tensor, pixels, width, height, channels: c };
}

/**
 * Encodes preprocessed pixels as a PNG data URL, enlarged with nearest-neighbour so small inputs stay visible.
 * @param minSide - the smaller side of the result, at least
 */
export async function pixelsToDataUrl(img: Pick<PreparedImage, 'pixels' | 'width' | 'height' | 'channels'>, minSide = 112): Promise<string> {
  const factor = Math.max(1, Math.ceil(minSide / Math.min(img.width, img.height)));
  const png = await sharp(Buffer.from(img.pixels.buffer, img.pixels.byteOffset, img.pixels.length), {
    raw: { width: img.width, height: img.height, channels: img.channels as 1 | 3 },
  })
    .resize(img.width * factor, img.height * factor, { kernel: 'nearest' })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
