/**
 * Parser fuzzing: ≥ 10 000 mutated models (seeded from ONNX's conformance data and the sample) must each end in a
 * result or a clear refusal — no crash, no hang, no runaway allocation. `FUZZ_COUNT=100000 npx vitest run test/fuzz`
 * runs longer; a crasher's bytes are written to test/artifacts/fuzz-crashers/ to become a regression test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/random/seeded-random';
import { deeplyNestedModel, encodeMutated, mutateBytes, mutateModel, STRUCTURAL, STRUCTURAL_RULES, type StructuralFault, tryDecode } from './mutators';
import { openLikeAUser, type Outcome } from './targets';

const ROOT = path.resolve(__dirname, '..', '..');
const CONFORMANCE = '/usr/share/libonnx-testdata/data';
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
/** A single input slower than this counts as a hang. */
const HANG_MS = 2_000;
/** Heap growth past this over the whole run counts as runaway allocation. */
const HEAP_BOUND = 1024 * 1024 * 1024;

function seeds(): Array<{ name: string; bytes: Uint8Array }> {
  const out = [{ name: 'sample', bytes: fs.readFileSync(path.join(ROOT, 'assets/samples/fashion-mnist/fashion-cnn.onnx')) }];
  for (const suite of ['node', 'pytorch-converted', 'pytorch-operator', 'simple']) {
    const dir = path.join(CONFORMANCE, suite);
    for (const t of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, t, 'model.onnx');
      if (fs.existsSync(file)) out.push({ name: `${suite}/${t}`, bytes: fs.readFileSync(file) });
    }
  }
  return out;
}

describe('parser fuzzing', () => {
  it(`survives ${COUNT} mutated models`, () => {
    const all = seeds();
    const r = seededRandom(SEED);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-fuzz-'));
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(64));
    const modelPath = path.join(dir, 'fuzzed.onnx');
    const tally = { ok: 0, refused: 0, crash: 0, hang: 0 };
    const codes = new Map<string, number>();
    /** per structural fault: models it was applied to, and those refused or opened with a problem naming the fault */
    const structural = new Map<string, { applied: number; flagged: number }>(STRUCTURAL.map((k) => [k, { applied: 0, flagged: 0 }]));
    const crashes: string[] = [];
    const heapStart = process.memoryUsage().heapUsed;
    let slowest = 0;
    for (let i = 0; i < COUNT; i++) {
      const seed = all[Math.floor(r() * all.length)];
      let name: string;
      let bytes: Uint8Array;
      /** the structured mutation applied alone (no byte mutation on top) */
      let fault: string | undefined;
      const decoded = r() < 0.5 ? tryDecode(seed.bytes) : undefined;
      if (i % 500 === 0) {
        const depth = [100, 1_000, 10_000, 100_000][(i / 500) % 4];
        name = `crafted deep nesting ${depth}`;
        bytes = deeplyNestedModel(depth);
      } else if (decoded) {
        const m = mutateModel(decoded, r);
        name = `${seed.name}:${m.name}`;
        bytes = encodeMutated(m.model);
        if (r() < 0.2) bytes = mutateBytes(bytes, r).bytes;
        else fault = m.name;
      } else {
        const m = mutateBytes(seed.bytes, r);
        name = `${seed.name}:${m.name}`;
        bytes = m.bytes;
      }
      const t0 = performance.now();
      const outcome: Outcome = openLikeAUser(bytes, modelPath);
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > HANG_MS) {
        tally.hang++;
        crashes.push(`${name}: took ${ms.toFixed(0)} ms`);
      }
      tally[outcome.kind]++;
      if (outcome.kind === 'refused') codes.set(outcome.code, (codes.get(outcome.code) ?? 0) + 1);
      const faultTally = fault === undefined ? undefined : structural.get(fault);
      if (faultTally) {
        faultTally.applied++;
        const rules: readonly string[] = STRUCTURAL_RULES[fault as StructuralFault];
        if (outcome.kind === 'refused' || (outcome.kind === 'ok' && outcome.codes.some((c) => rules.includes(c)))) faultTally.flagged++;
      }
      if (outcome.kind === 'crash') {
        crashes.push(`${name}: ${outcome.error}`);
        const out = path.join(ROOT, 'test/artifacts/fuzz-crashers');
        fs.mkdirSync(out, { recursive: true });
        fs.writeFileSync(path.join(out, `crash-${i}.onnx`), bytes);
      }
    }
    const heapGrowth = process.memoryUsage().heapUsed - heapStart;
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(
      `fuzz: ${COUNT} mutated models from ${all.length} seeds (seed ${SEED}): ${tally.ok} opened, ${tally.refused} refused with a clear error, ` +
        `${tally.crash} crashes, ${tally.hang} hangs; slowest ${slowest.toFixed(0)} ms; heap growth ${(heapGrowth / 1e6).toFixed(0)} MB\n` +
        `refusals by code: ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}\n` +
        `structural faults refused or named by their rule (no-ops on seeds without initializers or subgraphs count as missed): ${[...structural].map(([k, v]) => `${k} ${v.flagged}/${v.applied}`).join(', ')}`,
    );
    expect(crashes.slice(0, 10)).toEqual([]);
    expect(tally.crash + tally.hang).toBe(0);
    // every structural fault the validator knows is named at least once (a fault can be a no-op on some seeds)
    for (const [k, v] of structural) if (v.applied >= 10) expect(v.flagged, k).toBeGreaterThan(0);
    expect(heapGrowth).toBeLessThan(HEAP_BOUND);
  });
});
