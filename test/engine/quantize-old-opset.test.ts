/** Old exports quantize: a torch model exported at opset 9 is converted first (as onnxruntime's quantizer does) and the report says so. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { generated } from './fixtures';
import { runPass } from './helpers/prune-run';
import { agreementOnRandom } from './helpers/quantize-check';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-quant-old-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const OLD = generated('opset9-net.onnx');

const opsetOf = (file: string) => Number(loadModelFile(file).proto.opsetImport.find((o) => o.domain === '')?.version);

describe('int8 of an opset-9 torch export', () => {
  it.each([
    ['quantize-static', 13],
    ['quantize-dynamic', 11],
  ] as const)('%s converts the model to opset %i first, says so, and the result agrees with float', async (pass, opset) => {
    expect(opsetOf(OLD)).toBe(9);
    const r = await runPass<{ opsetUpgrade: { fromOpset: number; toOpset: number; nodesChanged: number; changes: string[] } }>(OLD, pass, { errorItems: 8 }, dir);
    expect(opsetOf(r.out)).toBe(opset);
    expect(r.report.opsetUpgrade).toMatchObject({ fromOpset: 9, toOpset: opset });
    expect(r.report.opsetUpgrade.nodesChanged).toBeGreaterThan(0);
    expect(r.warnings.join('\n')).toContain(`imported ONNX opset 9`);
    const fidelity = await agreementOnRandom(OLD, r.out, [1, 3, 16, 16], 32);
    console.log(`${pass} of opset9-net: converted 9 → ${opset} (${r.report.opsetUpgrade.changes.join('; ')}); top-1 agreement ${fidelity.agreement.toFixed(1)} %, SNR ${fidelity.snrDb.toFixed(1)} dB`);
    expect(fidelity.snrDb).toBeGreaterThan(15);
  }, 120_000);
});
