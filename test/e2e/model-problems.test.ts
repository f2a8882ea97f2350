/** e2e: an invalid model opened with `serve --model` shows the validator's problems in the Model place: errors red, warnings amber, suggestions blue, each with what to do. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../electron/engine/onnx/codec';
import { graph, model, node, value } from '../engine/helpers/build-model';
import { INVALID_CASES } from '../engine/helpers/invalid-models';
import { screenshot, startStudio, type Studio } from './harness';

/** A cycle, an attribute of the wrong type, a dangling input and an old opset: two errors, a warning and a suggestion. */
function brokenModel(): Uint8Array {
  const m = model(
    graph({
      nodes: [node('Add', ['x', 'b'], ['a'], {}, 'p'), node('Relu', ['a'], ['b'], {}, 'q'), node('Softmax', ['b'], ['y'], { axis: 1.5 }, 'softmax')],
      inputs: [value('x', [1, 4]), value('spare', [1, 4])],
      outputs: [value('y', [1, 4])],
    }),
    { opset: 11 },
  );
  return encodeModel(m);
}

describe('Model place: problems found at open', () => {
  let studio: Studio;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-problems-'));
  const broken = path.join(dir, 'broken.onnx');
  const huge = path.join(dir, 'huge-dims.onnx');
  beforeAll(async () => {
    fs.writeFileSync(broken, brokenModel());
    fs.writeFileSync(huge, encodeModel(INVALID_CASES.find((c) => c.rule.startsWith('dims declaring'))!.build()));
    studio = await startStudio({ theme: 'light', serveArgs: ['--model', broken] });
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows errors, warnings and suggestions with what to do', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    const banner = page.getByTestId('model-problems');
    await banner.waitFor();
    const errors = page.getByTestId('model-problems-error');
    expect(await errors.locator('.bp6-heading').textContent()).toBe('2 errors');
    expect(await errors.getAttribute('class')).toContain('bp6-intent-danger');
    const cycle = errors.locator('[data-code="CYCLE"]');
    expect(await cycle.textContent()).toMatch(/has a cycle: node "p" \(Add\) → node "q" \(Relu\) → node "p" \(Add\)/);
    expect(await cycle.textContent()).toMatch(/What to do: .*re-export/);
    expect(await errors.locator('[data-code="ATTRIBUTE_TYPE"]').textContent()).toContain('Attribute "axis" of node "softmax" (Softmax) is FLOAT; Softmax-11 expects INT');
    const warnings = page.getByTestId('model-problems-warning');
    expect(await warnings.getAttribute('class')).toContain('bp6-intent-warning');
    expect(await warnings.locator('[data-code="UNUSED_INPUT"]').textContent()).toContain('Graph input "spare" is read by no node');
    const info = page.getByTestId('model-problems-info');
    expect(await info.textContent()).toContain('deploy-studio convert broken.onnx -o broken-opset21.onnx --opset 21');
    await info.getByTestId('problem-convert').waitFor();
    await screenshot(page, 'model-problems-light');

    await errors.getByTestId('problems-toggle').click();
    await expect.poll(() => errors.locator('[data-code="CYCLE"]').count()).toBe(0);
    await errors.getByTestId('problems-toggle').click();
    await errors.locator('[data-code="CYCLE"]').waitFor();
  });

  it('names the tensor whose dims declare 10^15 elements over 16 bytes', async () => {
    const { page } = studio;
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-model').click();
    await (await chooser).setFiles(huge);
    await page.locator('h1', { hasText: 'huge-dims.onnx' }).waitFor();
    const error = page.getByTestId('model-problems-error').locator('[data-code="TENSOR_DATA_SIZE"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('Initializer "w": dims [1000000, 1000000, 1000] say 1000000000000000 elements');
    expect(await page.getByTestId('model-problems-error').locator('.bp6-heading').textContent()).toBe('1 error');
    await page.keyboard.press('Control+Shift+L');
    await page.waitForFunction("document.body.dataset.theme === 'dark'");
    await screenshot(page, 'model-problems-huge-dims-dark');
  });
});
