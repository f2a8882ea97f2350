/**
 * Dynamic int8 and fp16 on real models, Constant-node weights, models with nothing to quantize, and the CLI's JSON.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/api/errors';
import { createEngine } from '../../electron/engine/features';
import { generated, ROOT, SAMPLE } from './fixtures';
import { SAMPLE_IMAGES } from './helpers/eval-data';
import { runPass, scratchDir } from './helpers/prune-run';
import { agreementOnRandom, fusedOps, modelBytes, onnxCheck } from './helpers/quantize-check';

const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Report {
  quantizedNodeCount: number;
  quantizedOps: Record<string, number>;
  outputSnrDb: number | null;
  keptFloat: Array<{ node: string; op: string }>;
  errorTable: Array<{ tensor: string; snrDb: number | null }>;
}

describe('dynamic int8', () => {
  it('turns every MatMul/Gemm of the transformer into onnxruntime DynamicQuantizeMatMul, close to float', async () => {
    const source = generated('transformer.onnx');
    const { out, report } = await runPass<Report>(source, 'quantize-dynamic', {}, dir);
    expect(report.quantizedOps).toEqual({ MatMul: 7, Gemm: 3 });
    onnxCheck([out]);
    const fused = await fusedOps(out);
    expect(fused.DynamicQuantizeMatMul).toBe(10);
    expect(fused.MatMulInteger ?? 0).toBe(0);
    const r = await agreementOnRandom(source, out, [1, 16, 64], 100);
    console.log(`transformer dynamic int8: agreement ${r.agreement.toFixed(1)} %, output SNR ${r.snrDb.toFixed(1)} dB, ${((100 * modelBytes(out)) / modelBytes(source)).toFixed(1)} % of the file`);
    expect(r.snrDb).toBeGreaterThan(25);
    expect(r.agreement).toBeGreaterThanOrEqual(95);
    expect(modelBytes(out) / modelBytes(source)).toBeLessThanOrEqual(0.3);
  });

  it('quantizes the MatMuls inside a Loop body (an RNN step reading outer-scope weights), close to float', async () => {
    const source = generated('loop-rnn.onnx');
    const { out, report } = await runPass<Report>(source, 'quantize-dynamic', {}, dir);
    expect(report.quantizedOps).toEqual({ MatMul: 3, Gemm: 1 });
    onnxCheck([out]);
    const py = 'import json,sys,onnx; m=onnx.load(sys.argv[1]); b=[a.g for n in m.graph.node if n.op_type=="Loop" for a in n.attribute if a.name=="body"][0]; print(json.dumps([n.op_type for n in b.node]))';
    const body = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, out], { encoding: 'utf8' })) as string[];
    expect(body.filter((op) => op === 'MatMulInteger')).toHaveLength(2);
    expect(body).not.toContain('MatMul');
    const r = await agreementOnRandom(source, out, [1, 32], 100);
    console.log(`loop-rnn dynamic int8: agreement ${r.agreement.toFixed(1)} %, output SNR ${r.snrDb.toFixed(1)} dB`);
    expect(r.snrDb).toBeGreaterThan(25);
    expect(r.agreement).toBeGreaterThanOrEqual(95);
  });

  it('static int8 of the same model quantizes the main graph and names each Loop-body node it leaves in float', async () => {
    const { out, report } = await runPass<Report & { skipped: Array<{ node: string; reason: string }> }>(generated('loop-rnn.onnx'), 'quantize-static', { errorItems: 0 }, dir);
    expect(report.quantizedOps).toMatchObject({ MatMul: 1, Gemm: 1 });
    onnxCheck([out]);
    const inBody = report.skipped.filter((s) => /^inside subgraph rnn_step/.test(s.reason)).map((s) => s.node);
    expect(inBody).toEqual(expect.arrayContaining(['step_input_matmul', 'step_recurrent_matmul']));
  });

  it('quantizes Conv with ConvInteger only when asked', async () => {
    const { out, report } = await runPass<Report>(SAMPLE, 'quantize-dynamic', { includeOps: ['Conv', 'Gemm'], calibration: SAMPLE_IMAGES }, dir);
    expect(report.quantizedOps).toEqual({ Conv: 3, Gemm: 2 });
    expect(onnxCheck([out])[out].ConvInteger).toBe(3);
    expect(report.outputSnrDb).toBeGreaterThan(25);
  });
});

describe('float16', () => {
  it.each(['resnet18.onnx', 'transformer.onnx'])('converts %s with float32 inputs and outputs, runs in onnxruntime', async (file) => {
    const source = generated(file);
    const { out, report } = await runPass<Report & { keepIoTypes: boolean }>(source, 'convert-fp16', {}, dir);
    onnxCheck([out]);
    const shape = file === 'resnet18.onnx' ? [1, 3, 224, 224] : [1, 16, 64];
    const r = await agreementOnRandom(source, out, shape, 20);
    const ratio = modelBytes(out) / modelBytes(source);
    console.log(`${file} fp16: SNR ${r.snrDb.toFixed(1)} dB, ${(100 * ratio).toFixed(1)} % of the file, ${report.keptFloat.length} node(s) kept in float32`);
    expect(r.snrDb).toBeGreaterThan(40);
    if (file === 'resnet18.onnx') expect(ratio).toBeLessThanOrEqual(0.55);
    else expect(report.keptFloat.map((k) => k.op)).toContain('LayerNormalization');
  });
});

describe('weights held in Constant nodes (Paddle2ONNX style)', () => {
  it('are quantized to int8 like initializers', async () => {
    const source = generated('constant-weights.onnx');
    const { out, report } = await runPass<Report>(source, 'quantize-static', {}, dir);
    expect(report.quantizedOps.Conv).toBe(2);
    expect(report.quantizedOps.Gemm).toBe(2);
    const py = 'import onnx,sys,json; m=onnx.load(sys.argv[1]); print(json.dumps({"consts":[n.attribute[0].t.data_type for n in m.graph.node if n.op_type=="Constant"],"int8":[i.name for i in m.graph.initializer if i.data_type==3 and i.name.endswith("_quantized")]}))';
    const info = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, out], { encoding: 'utf8' })) as { consts: number[]; int8: string[] };
    // no float weight is left in a Constant node; every Conv/Gemm weight is an int8 tensor
    expect(info.consts.filter((t) => t === 1)).toEqual([]);
    expect(info.int8.length).toBe(4);
    onnxCheck([out]);
    expect((await fusedOps(out)).QLinearConv).toBe(2);
  });
});

describe('a model with nothing to quantize', () => {
  it.each(['quantize-static', 'quantize-dynamic'])('%s says so and writes nothing', async (pass) => {
    const source = path.join('/usr/share/libonnx-testdata/data/node/test_relu/model.onnx');
    const before = fs.readdirSync(dir).length;
    const err = await runPass(source, pass, {}, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('UNSUPPORTED_OP');
    expect((err as StudioError).message).toMatch(/^Nothing to quantize: .* this model has none \(it has 1 Relu\)/);
    expect(fs.readdirSync(dir).length).toBe(before);
  });
});

describe('deploy-studio quantize', () => {
  it('prints the JSON the issue asks for', () => {
    const out = path.join(dir, 'cli-sample.onnx');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'deploy-studio.cjs'), 'quantize', SAMPLE, '-o', out, '--mode', 'static', '--calibration', SAMPLE_IMAGES, '--method', 'percentile', '--exclude', '/fc2/', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ output: out, mode: 'static', quantizedNodeCount: 4, keptFloat: ['/fc2/Gemm'] });
    expect(j.sizeBytesAfter).toBeLessThan(j.sizeBytesBefore);
    expect(j.errorTable.length).toBeGreaterThan(5);
    expect(j.report.method).toBe('percentile');
    const bad = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'deploy-studio.cjs'), 'quantize', SAMPLE, '-o', out, '--mode', 'int4', '--json'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/--mode takes static, dynamic or fp16/);
  });
});

describe('cancelling', () => {
  it('stops a running static quantization of resnet18 and adds no variant', async () => {
    const engine = createEngine({ dataDir: path.join(dir, 'cancel-data'), samplePath: SAMPLE, appVersion: 'test' });
    const { modelId } = await engine.call('openModel', { path: generated('resnet18.onnx') });
    const jobId = 'job-quantize-cancel';
    const running = engine.call('runPasses', { modelId, steps: [{ pass: 'quantize-static', options: {} }], jobId });
    const caught = running.catch((e: unknown) => e);
    for (let i = 0; i < 600 && (engine.jobs.list().find((j) => j.id === jobId)?.progress ?? 0) < 0.1; i++) await new Promise((r) => setTimeout(r, 100));
    expect(engine.jobs.list().find((j) => j.id === jobId)?.stage).toMatch(/calibrating/);
    await engine.call('cancelJob', { jobId });
    const err = await caught;
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('JOB_CANCELLED');
    expect(engine.jobs.list().find((j) => j.id === jobId)?.state).toBe('cancelled');
    expect((await engine.call('listVariants', { modelId })).length).toBe(1);
  });
});
