#!/usr/bin/env node
// Runs the packaged model on images or .npy files: `node run.js image.png [more …] [--top K] [--json]`;
// `node run.js --bench [RUNS] FILE` times it on this machine (warm-up, then RUNS timed runs: p50/p90/p99).
// Written by Deploy Studio; preprocessing and ranking are the studio's own (lib/model-runner-core.cjs).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const USAGE =
  'usage: node run.js FILE [FILE …] [--top K] [--json]\n       node run.js --bench [RUNS] FILE [--json]   (times the model: warm-up, then RUNS runs, default 200)\n' +
  '  FILE: an image (PNG, JPEG, WebP, GIF, TIFF, AVIF) or a .npy array';

function parseArgs(argv) {
  const files = [];
  let top = 5;
  let json = false;
  let bench = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--bench') {
      bench = 200;
      if (/^\d+$/.test(argv[i + 1] || '')) bench = Number(argv[++i]);
      if (bench < 1) throw new Error(`--bench needs at least 1 run.\n${USAGE}`);
    }
    else if (a === '--top' || a === '-k') {
      top = Number(argv[++i]);
      if (!Number.isInteger(top) || top < 1) throw new Error(`--top needs a whole number of at least 1.\n${USAGE}`);
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else files.push(a);
  }
  if (files.length === 0) throw new Error(USAGE);
  if (bench && files.length !== 1) throw new Error(`--bench times one input file.\n${USAGE}`);
  return { files, top, json, bench };
}

function loadCore() {
  try {
    return require('./lib/model-runner-core.cjs');
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND') {
      throw new Error(`a dependency is missing (${err.message.split('\n')[0]}): run "npm install" in ${__dirname} first.`);
    }
    throw err;
  }
}

async function benchmark(runner, args) {
  const file = args.files[0];
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${file} cannot be read (${err.code || err.message}).`);
  }
  const r = await runner.benchmark(bytes, { runs: args.bench });
  await runner.release();
  const s = r.stats;
  const o = runner.info.sessionOptions;
  const settings = `${o.intraOpNumThreads} intra-op thread${o.intraOpNumThreads === 1 ? '' : 's'}, ${o.interOpNumThreads} inter-op, optimization ${o.graphOptimizationLevel}, ${o.executionMode}`;
  if (args.json) {
    process.stdout.write(JSON.stringify({ model: runner.info.modelName, input: r.input, settings: o, stats: s, latencies: r.latencies }, null, 2) + '\n');
    return;
  }
  const ms = (v) => `${v.toFixed(3)} ms`;
  process.stdout.write(`${runner.info.modelName} on ${path.basename(file)} [${r.input.dims.join(', ')}]: ${s.runs} runs after warm-up (${settings})\n`);
  process.stdout.write(`  p50 ${ms(s.p50)}   p90 ${ms(s.p90)}   p99 ${ms(s.p99)}   mean ${ms(s.mean)} ± ${ms(s.std)}   min ${ms(s.min)}   max ${ms(s.max)}\n`);
  // the studio's noise rule: fewer than 10 runs, or a coefficient of variation over 10 %
  if (s.cv > 0.1 || s.runs < 10) process.stdout.write(`  noisy: ${s.runs < 10 ? `only ${s.runs} run${s.runs === 1 ? '' : 's'}` : `runs varied by ${(s.cv * 100).toFixed(0)} % (std / mean over ${s.runs} runs)`}; close other programs and run again with more runs.\n`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const core = loadCore();
  let runner;
  try {
    runner = await core.createRunner(__dirname);
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND') throw new Error(`onnxruntime-node is not installed: run "npm install" in ${__dirname} first.`);
    throw err;
  }
  if (args.bench) {
    await benchmark(runner, args);
    return;
  }
  const results = [];
  for (const file of args.files) {
    let bytes;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      throw new Error(`${file} cannot be read (${err.code || err.message}).`);
    }
    const r = /\.npy$/i.test(file) ? await runner.runNpy(bytes, args.top) : await runner.runImage(bytes, args.top);
    results.push({ file, ...r });
  }
  await runner.release();
  if (args.json) {
    process.stdout.write(JSON.stringify({ model: runner.info.modelName, results }, null, 2) + '\n');
    return;
  }
  for (const r of results) {
    process.stdout.write(`${path.basename(r.file)}  (${r.latencyMs.toFixed(2)} ms run, ${r.preprocessMs.toFixed(2)} ms preprocessing)\n`);
    if (r.top && r.top.length) {
      process.stdout.write(`  top-1: ${r.top[0].label} (class ${r.top[0].index}, p=${r.top[0].probability.toFixed(4)})\n`);
      for (const c of r.top.slice(1)) process.stdout.write(`         ${c.label} (class ${c.index}, p=${c.probability.toFixed(4)})\n`);
    } else {
      for (const o of r.outputs) process.stdout.write(`  ${o.name}: ${o.dtype} [${o.dims.join(', ')}] ${o.preview.slice(0, 8).map((v) => v.toFixed(4)).join(' ')} …\n`);
    }
  }
}

main().catch((err) => {
  process.stderr.write(`run.js: ${err && err.message ? err.message : String(err)}\n`);
  if (process.env.RUNNER_DEBUG && err && err.stack) process.stderr.write(err.stack + '\n');
  process.exitCode = 2;
});
