// Model runner core, written by Deploy Studio: loads the model with onnxruntime-node, turns an image (or a .npy file)
// into the model's input with the same preprocessing as the studio, runs it and ranks the classes.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** Element types a .npy file may hold, by numpy's descr code (little-endian or byte-free). */
const NPY_TYPES = {
  f4: ['float32', Float32Array],
  f8: ['float64', Float64Array],
  i1: ['int8', Int8Array],
  u1: ['uint8', Uint8Array],
  i2: ['int16', Int16Array],
  u2: ['uint16', Uint16Array],
  i4: ['int32', Int32Array],
  u4: ['uint32', Uint32Array],
  i8: ['int64', BigInt64Array],
  u8: ['uint64', BigUint64Array],
  b1: ['bool', Uint8Array],
};

/** An error whose message is meant for the user (no stack trace shown). */
class RunnerError extends Error {
  constructor(message) {
    super(message);
    this.name = 'RunnerError';
  }
}

/**
 * Reads a .npy file (format 1.0–3.0, C order, little-endian).
 * @param {Uint8Array} bytes
 * @returns {{ dtype: string, shape: number[], data: ArrayLike<number | bigint> }}
 */
function parseNpy(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new RunnerError('The file is not a .npy array (its magic bytes are missing).');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const order = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !order || !shape) throw new RunnerError('The .npy header cannot be read.');
  if (order[1] === 'True') throw new RunnerError('The .npy array is in Fortran order: save it with numpy.ascontiguousarray first.');
  const code = descr[1].replace(/^[<|=]/, '');
  if (descr[1].startsWith('>')) throw new RunnerError('The .npy array is big-endian: save it as little-endian (astype("<f4")).');
  const type = NPY_TYPES[code];
  if (!type) throw new RunnerError(`The .npy element type ${descr[1]} is not supported.`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  const Ctor = type[1];
  const needed = count * Ctor.BYTES_PER_ELEMENT;
  if (buf.length - dataStart < needed) throw new RunnerError(`The .npy file is truncated: ${needed} data bytes expected, ${buf.length - dataStart} found.`);
  const copy = new Uint8Array(needed);
  copy.set(buf.subarray(dataStart, dataStart + needed));
  return { dtype: type[0], shape: dims, data: new Ctor(copy.buffer) };
}

/** @returns the IEEE half-precision bits of a number (round to nearest even), for float16 inputs. */
function floatToHalfBits(value) {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = sign | (e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return half;
}

const FIT = { stretch: 'fill', cover: 'cover', contain: 'contain', shorter: 'outside' };
const ARRAYS = { float32: Float32Array, float64: Float64Array, float16: Uint16Array, uint8: Uint8Array };

function centerCrop(data, w, h, c, cw, ch) {
  const x0 = Math.max(0, Math.floor((w - cw) / 2));
  const y0 = Math.max(0, Math.floor((h - ch) / 2));
  const out = new Uint8Array(cw * ch * c);
  for (let y = 0; y < ch; y++) out.set(data.subarray(((y0 + y) * w + x0) * c, ((y0 + y) * w + x0 + cw) * c), y * cw * c);
  return out;
}

/**
 * Decodes and preprocesses an image exactly as Deploy Studio does: sharp decodes, auto-orients by EXIF, flattens
 * alpha onto black, converts to grayscale or sRGB, resizes (lanczos3), centre-crops; pixels become
 * `(value / scale - mean[c]) / std[c]` in the config's channel order and layout (raw pixels for uint8 inputs).
 * @param {Uint8Array} bytes - the encoded image (PNG, JPEG, WebP, GIF, TIFF, AVIF)
 * @param {object} pre - the preprocessing config (preprocess.json)
 * @param {string} [dtype] - the input's element type: float32 (default), float16, float64 or uint8
 * @returns {Promise<{ data: Float32Array | Float64Array | Uint16Array | Uint8Array, dims: number[], dtype: string }>}
 */
async function preprocessImage(bytes, pre, dtype = 'float32') {
  const sharp = require('sharp');
  const Out = ARRAYS[dtype];
  if (!Out) throw new RunnerError(`The model's image input is ${dtype}; images can only feed float or uint8 inputs.`);
  const c = pre.channels === 'grayscale' ? 1 : 3;
  const layout = pre.layout || 'NCHW';
  const scale = pre.scale === undefined ? 255 : pre.scale;
  let img = sharp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { failOn: 'error' }).rotate().flatten({ background: '#000000' });
  img = c === 1 ? img.grayscale() : img.toColourspace('srgb');
  const r = pre.resize;
  if (r) {
    const mode = r.mode || 'stretch';
    const square = mode === 'shorter' ? Math.min(r.width, r.height) : undefined;
    img = img.resize(square || r.width, square || r.height, { fit: FIT[mode], background: '#000000', kernel: 'lanczos3' });
  }
  let decoded;
  try {
    decoded = await img.raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new RunnerError(`The file cannot be read as an image (${String(err.message).replace(/\s+/g, ' ').trim()}). Use a PNG, JPEG, WebP, GIF, TIFF or AVIF image.`);
  }
  let width = decoded.info.width;
  let height = decoded.info.height;
  const got = decoded.info.channels;
  let pixels = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length);
  if (got !== c) {
    const fixed = new Uint8Array(width * height * c);
    for (let i = 0; i < width * height; i++) for (let k = 0; k < c; k++) fixed[i * c + k] = pixels[i * got + Math.min(k, got - 1)];
    pixels = fixed;
  }
  if (pre.crop) {
    const cw = Math.min(pre.crop.width, width);
    const ch = Math.min(pre.crop.height, height);
    pixels = centerCrop(pixels, width, height, c, cw, ch);
    width = cw;
    height = ch;
  }
  const nchw = layout === 'NCHW';
  const dims = nchw ? [1, c, height, width] : [1, height, width, c];
  const out = new Out(c * width * height);
  const mean = pre.mean || [0];
  const std = pre.std || [1];
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    for (let k = 0; k < c; k++) {
      const src = pre.channels === 'bgr' ? c - 1 - k : k;
      const raw = pixels[i * c + src];
      const at = nchw ? k * plane + i : i * c + k;
      if (dtype === 'uint8') {
        out[at] = raw;
        continue;
      }
      const v = (raw / scale - mean[Math.min(k, mean.length - 1)]) / std[Math.min(k, std.length - 1)];
      out[at] = dtype === 'float16' ? floatToHalfBits(v) : v;
    }
  }
  return { data: out, dims, dtype };
}

/** @returns true when the values already look like probabilities (all in [0, 1], summing to 1 ± 1 %). */
function looksLikeProbabilities(values) {
  let sum = 0;
  for (const v of values) {
    if (!(v >= 0 && v <= 1)) return false;
    sum += v;
  }
  return Math.abs(sum - 1) < 0.01;
}

/** @returns the probabilities of `values`: the values themselves when they already are, else their softmax. */
function probabilities(values) {
  const scores = Array.from(values, Number);
  if (looksLikeProbabilities(scores)) return scores;
  const max = scores.reduce((m, v) => (v > m ? v : m), -Infinity);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/**
 * Ranks classes by score, as the studio does.
 * @param {ArrayLike<number>} values - scores of one sample (logits or probabilities)
 * @param {number} k - how many to return
 * @param {string[] | null} labels
 * @returns {Array<{ index: number, label: string, score: number, probability: number }>}
 */
function topK(values, k, labels) {
  const scores = Array.from(values, Number);
  const probs = probabilities(scores);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  return order.slice(0, Math.min(k, order.length)).map((index) => ({
    index,
    label: labels && labels[index] !== undefined ? labels[index] : `class ${index}`,
    score: scores[index],
    probability: probs[index],
  }));
}

/** Fills a declared shape: symbolic or unknown dims take the data's size, then 1. */
function concreteDims(declared, actual, name) {
  if (!declared) return actual;
  if (declared.length !== actual.length) throw new RunnerError(`Input "${name}" has rank ${declared.length}, the data has rank ${actual.length} (shape [${actual.join(', ')}]).`);
  declared.forEach((d, i) => {
    if (typeof d === 'number' && d >= 0 && d !== actual[i]) {
      throw new RunnerError(`Input "${name}" expects dim ${i} = ${d}, the data has ${actual[i]} (shape [${actual.join(', ')}]).`);
    }
  });
  return actual;
}

/** @returns one per physical core of this machine (Linux: distinct core ids in /proc/cpuinfo; elsewhere logical cores). */
function physicalCores() {
  const logical = Math.max(1, require('node:os').cpus().length);
  try {
    const text = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const cores = new Set();
    for (const block of text.split(/\n\s*\n/)) {
      const phys = /^physical id\s*:\s*(.*)$/m.exec(block);
      const core = /^core id\s*:\s*(.*)$/m.exec(block);
      if (phys && core) cores.add(`${phys[1]}:${core[1]}`);
    }
    return cores.size ? Math.min(cores.size, logical) : logical;
  } catch {
    return logical;
  }
}

/**
 * Session options from runner-config.json's `session`: the thread count it names (or one per physical core when it
 * names none), capped at this machine's logical cores; `MODEL_RUNNER_THREADS` overrides it.
 */
function sessionOptions(session) {
  const s = session || {};
  const env = Number(process.env.MODEL_RUNNER_THREADS);
  const logical = Math.max(1, require('node:os').cpus().length);
  const threads = Number.isInteger(env) && env > 0 ? env : Math.min(s.intraOpThreads || physicalCores(), logical);
  return {
    graphOptimizationLevel: s.graphOptimizationLevel || 'all',
    executionMode: s.executionMode || 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: s.interOpThreads || 1,
  };
}

/**
 * Loads the model and its runner config.
 * @param {string} dir - the folder with runner-config.json and the model
 * @returns {Promise<object>} the runner: `info`, `runImage(bytes, k)`, `runNpy(bytes, k)`, `release()`
 */
async function createRunner(dir) {
  const ort = require('onnxruntime-node');
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'runner-config.json'), 'utf8'));
  const t0 = performance.now();
  const options = sessionOptions(config.session);
  const session = await ort.InferenceSession.create(path.join(dir, config.modelFile), options);
  const sessionMs = performance.now() - t0;
  const imageInput = config.imageInput ? config.inputs.find((i) => i.name === config.imageInput) : undefined;

  async function prepareImage(bytes) {
    if (!imageInput || !config.preprocess) throw new RunnerError('This model has no image preprocessing config: give it a .npy input instead.');
    const t = performance.now();
    const pre = await preprocessImage(bytes, config.preprocess, imageInput.dtype);
    const preprocessMs = performance.now() - t;
    const dims = concreteDims(imageInput.shape, pre.dims, imageInput.name);
    return { feeds: { [imageInput.name]: new ort.Tensor(pre.dtype, pre.data, dims) }, preprocessMs, input: { name: imageInput.name, dims } };
  }

  function prepareNpy(bytes) {
    if (config.inputs.length !== 1) throw new RunnerError(`The model has ${config.inputs.length} inputs; a single .npy file feeds one.`);
    const input = config.inputs[0];
    const arr = parseNpy(bytes);
    if (arr.dtype !== input.dtype) throw new RunnerError(`Input "${input.name}" expects ${input.dtype}, the .npy holds ${arr.dtype}.`);
    const dims = concreteDims(input.shape, arr.shape, input.name);
    return { feeds: { [input.name]: new ort.Tensor(arr.dtype, arr.data, dims) }, input: { name: input.name, dims } };
  }

  async function run(feeds, k) {
    const t = performance.now();
    const results = await session.run(feeds);
    const latencyMs = performance.now() - t;
    const outputs = config.outputs.map((o) => {
      const r = results[o.name];
      const data = r.type === 'string' ? [] : Array.from(r.data.length > 100000 ? r.data.subarray(0, 100000) : r.data, Number);
      return { name: o.name, dtype: r.type, dims: Array.from(r.dims), preview: data.slice(0, 16) };
    });
    const main = results[config.classifierOutput || config.outputs[0].name];
    let top = null;
    if (main && main.type !== 'string') {
      const perSample = main.dims.length >= 2 ? main.data.length / main.dims[0] : main.data.length;
      top = topK(main.data.subarray(0, perSample), Math.min(k, perSample), config.labels);
    }
    return { top, outputs, latencyMs };
  }

  return {
    info: { ...config, sessionMs, sessionOptions: options, onnxruntimeVersion: ort.env.versions ? ort.env.versions.common : '' },
    /** Runs one encoded image. */
    async runImage(bytes, k = 5) {
      const p = await prepareImage(bytes);
      const result = await run(p.feeds, k);
      return { ...result, preprocessMs: p.preprocessMs, input: p.input };
    },
    /** Runs one .npy array as the model's first (or only) input. */
    async runNpy(bytes, k = 5) {
      const p = prepareNpy(bytes);
      const result = await run(p.feeds, k);
      return { ...result, preprocessMs: 0, input: p.input };
    },
    /**
     * Times the model on one input (an image or a .npy file): the input is prepared once, a warm-up of at least
     * `warmupMs` (and `warmup` runs), then `runs` timed runs of the session alone — the studio's own timing protocol.
     */
    async benchmark(bytes, options = {}) {
      const runs = Math.max(1, Math.floor(options.runs || 100));
      const p = isNpy(bytes) ? prepareNpy(bytes) : await prepareImage(bytes);
      const warmStart = performance.now();
      const warmMs = options.warmupMs === undefined ? 150 : options.warmupMs;
      for (let w = 0; w < 5000 && (w < (options.warmup === undefined ? 3 : options.warmup) || performance.now() - warmStart < warmMs); w++) await session.run(p.feeds);
      const latencies = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await session.run(p.feeds);
        latencies.push(performance.now() - t);
      }
      return { input: p.input, latencies, stats: latencyStats(latencies) };
    },
    async release() {
      await session.release();
    },
  };
}

/** @returns whether the bytes start with the .npy magic string. */
function isNpy(bytes) {
  return bytes.length >= 6 && bytes[0] === 0x93 && Buffer.from(bytes.buffer, bytes.byteOffset, 6).toString('latin1', 1, 6) === 'NUMPY';
}

/**
 * The studio's latency statistics: percentiles interpolated linearly between ranks, population standard deviation,
 * coefficient of variation (std / mean).
 * @param {number[]} latencies - milliseconds
 * @returns {{ runs: number, p50: number, p90: number, p99: number, mean: number, std: number, min: number, max: number, cv: number }}
 */
function latencyStats(latencies) {
  const a = [...latencies].sort((x, y) => x - y);
  const at = (q) => {
    const rank = (q / 100) * (a.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return a[lo] + (a[hi] - a[lo]) * (rank - lo);
  };
  const mean = a.reduce((x, y) => x + y, 0) / a.length;
  const std = Math.sqrt(a.reduce((x, y) => x + (y - mean) ** 2, 0) / a.length);
  return { runs: a.length, p50: at(50), p90: at(90), p99: at(99), mean, std, min: a[0], max: a[a.length - 1], cv: mean > 0 ? std / mean : 0 };
}

module.exports = { createRunner, latencyStats, isNpy, sessionOptions, preprocessImage, parseNpy, topK, probabilities, floatToHalfBits, RunnerError };
