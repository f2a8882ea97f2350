/** Audio files for the demo: WAV decoding (PCM 8/16/24/32-bit, float 32/64; channels mixed to mono) and resampling. */
import { StudioError } from '../../../../shared/api/errors';

/** Mono samples in -1..1 and their rate. */
export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
}

function fail(file: string, why: string): never {
  throw new StudioError('INVALID_INPUT', `${file} is not an audio file the studio can read (${why}). Give a WAV file (PCM 8/16/24/32-bit or float), e.g. convert with \`ffmpeg -i IN -ac 1 OUT.wav\`.`);
}

/**
 * Decodes a RIFF/WAVE file.
 * @param bytes - the file's content
 * @param file - its name, for messages
 * @throws StudioError `INVALID_INPUT` for other formats (FLAC, MP3, …) or a broken header
 */
export function decodeWav(bytes: Uint8Array, file: string): DecodedAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
  if (bytes.length < 12) fail(file, 'too short');
  if (tag(0) === 'fLaC') fail(file, 'FLAC is not decoded yet');
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') fail(file, 'no RIFF/WAVE header');
  let off = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | null = null;
  while (off + 8 <= bytes.length) {
    const id = tag(off);
    const size = view.getUint32(off + 4, true);
    const body = off + 8;
    if (id === 'fmt ') {
      let format = view.getUint16(body, true);
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true); // WAVE_FORMAT_EXTENSIBLE: the sub-format
      fmt = { format, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) fail(file, "a data chunk before the 'fmt ' chunk");
      return { samples: toMono(view, body, Math.min(size, bytes.length - body), fmt, file), sampleRate: fmt.rate };
    }
    off = body + size + (size % 2);
  }
  return fail(file, 'no data chunk');
}

function toMono(view: DataView, start: number, size: number, f: { format: number; channels: number; bits: number }, file: string): Float32Array {
  const bytesPer = f.bits / 8;
  if (f.channels < 1 || ![8, 16, 24, 32, 64].includes(f.bits)) fail(file, `${f.channels} channels of ${f.bits}-bit samples`);
  const isFloat = f.format === 3;
  if (!isFloat && f.format !== 1) fail(file, `WAV format code ${f.format}, neither PCM nor float`);
  const frames = Math.floor(size / (bytesPer * f.channels));
  const out = new Float32Array(frames);
  const read = (o: number): number => {
    if (isFloat) return f.bits === 64 ? view.getFloat64(o, true) : view.getFloat32(o, true);
    if (f.bits === 8) return (view.getUint8(o) - 128) / 128;
    if (f.bits === 16) return view.getInt16(o, true) / 32768;
    if (f.bits === 24) return ((view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16)) as number) / 8388608;
    return view.getInt32(o, true) / 2147483648;
  };
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < f.channels; c++) sum += read(start + (i * f.channels + c) * bytesPer);
    out[i] = sum / f.channels;
  }
  return out;
}

/**
 * Resamples by linear interpolation after a moving-average low-pass when downsampling (enough for speech models; the
 * demo shows what the model hears, not a mastering chain).
 * @param x - samples
 * @param from - their rate
 * @param to - the rate wanted
 */
export function resample(x: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return x;
  let src = x;
  if (to < from) {
    const k = Math.max(1, Math.round(from / to));
    if (k > 1) {
      src = new Float32Array(x.length);
      let acc = 0;
      for (let i = 0; i < x.length; i++) {
        acc += x[i] - (i >= k ? x[i - k] : 0);
        src[i] = acc / Math.min(i + 1, k);
      }
      // the moving average delays by (k - 1) / 2 samples; read it back centred
      const shift = (k - 1) / 2;
      return interpolate(src, from, to, shift);
    }
  }
  return interpolate(src, from, to, 0);
}

function interpolate(src: Float32Array, from: number, to: number, shift: number): Float32Array {
  const n = Math.round((src.length * to) / from);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.min(src.length - 1, (i * from) / to + shift);
    const i0 = Math.floor(p);
    const i1 = Math.min(src.length - 1, i0 + 1);
    out[i] = src[i0] + (src[i1] - src[i0]) * (p - i0);
  }
  return out;
}

/** @returns a min/max envelope: `columns` pairs (min, max), for drawing a waveform. */
export function envelope(x: Float32Array, columns: number): number[] {
  const out: number[] = [];
  const per = Math.max(1, x.length / columns);
  for (let c = 0; c < columns; c++) {
    let lo = 0;
    let hi = 0;
    for (let i = Math.floor(c * per); i < Math.min(x.length, Math.floor((c + 1) * per)); i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
    out.push(lo, hi);
  }
  return out;
}
