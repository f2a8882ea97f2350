/** Kill -9 of the engine host during a static quantization: the job fails clearly, nothing partial is left, work goes on. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/api/jobs';
import type { StudioEvent } from '../../shared/api/methods';
import { EngineClient } from '../../electron/engine/host/engine-client';
import { forkTransport } from '../../electron/engine/host/fork-transport';
import { generated, ROOT, SAMPLE } from './fixtures';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-hardening-crash-'));
const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-hardening-model-'));
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(modelDir, { recursive: true, force: true });
});

const sha256 = (p: string) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');

/** Waits until `check` holds (polling; the work it waits on runs in another process). */
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** @returns every file under a folder, recursively (relative paths). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

interface IndexFile {
  version: number;
  families: Record<string, { rootPath: string; variants: Array<{ id: string; name: string }> }>;
}

describe('kill -9 of the engine host during a static quantization', () => {
  const events: StudioEvent[] = [];
  const client = new EngineClient(() => forkTransport(path.join(ROOT, 'out', 'engine', 'engine-host.cjs')), {
    dataDir,
    samplePath: SAMPLE,
    appVersion: 'test',
  });
  client.onEvent((e) => events.push(e));
  afterAll(() => client.dispose());
  const jobEvents = (): JobEvent[] => events.map((e) => e.event);
  const variantsDir = path.join(dataDir, 'variants');

  it('fails the job with WORKER_CRASHED, leaves the model and the variant list intact, and the next job succeeds', async () => {
    const model = path.join(modelDir, 'resnet18.onnx');
    fs.copyFileSync(generated('resnet18.onnx'), model);
    const before = sha256(model);
    const { modelId } = await client.call('openModel', { path: model });

    const running = client.call('runPasses', { modelId, name: 'killed', steps: [{ pass: 'quantize-static', options: {} }], jobId: 'kill-quant-1' });
    running.catch(() => undefined);
    const calibrating = () => jobEvents().some((e) => e.kind === 'progress' && e.jobId === 'kill-quant-1' && e.stage.startsWith('calibrating'));
    await until(calibrating, 'calibration to start');
    const killedPid = client.pid as number;
    expect(killedPid).toBeGreaterThan(0);
    process.kill(killedPid, 'SIGKILL');

    const err = await running.then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err?.code).toBe('WORKER_CRASHED');
    expect(err?.message).toMatch(/engine process stopped \(signal SIGKILL\).*restarts on the next request/);

    // the user's model is untouched; no partial file in the variants folder; the index parses with no entry for the job
    expect(sha256(model)).toBe(before);
    expect(filesUnder(variantsDir).filter((f) => f.endsWith('.tmp') || f.endsWith('.onnx') || f.endsWith('.data'))).toEqual([]);
    const indexFile = path.join(variantsDir, 'index.json');
    if (fs.existsSync(indexFile)) {
      const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as IndexFile;
      expect(index.version).toBe(1);
      const names = Object.values(index.families).flatMap((f) => f.variants.map((v) => v.name));
      expect(names).not.toContain('killed');
    }

    // a kill between write and rename leaves a save temp: plant one as the killed host would have; the restarted engine sweeps it
    const familyDir = path.join(variantsDir, 'planted');
    fs.mkdirSync(familyDir, { recursive: true });
    const stale = path.join(familyDir, `.killed-0123456789ab.onnx.${killedPid}-deadbeef.tmp`);
    fs.writeFileSync(stale, 'partial');

    // the same client restarts the host, reopens the model under the same id, and the next job succeeds
    const next = await client.call('runPasses', { modelId, name: 'after-crash', steps: [{ pass: 'graph-optimize', options: {} }] });
    expect(next).toBeTruthy();
    expect(client.starts).toBe(2);
    expect(fs.existsSync(stale)).toBe(false);
    expect((await client.call('getSummary', { modelId })).fileName).toBe('resnet18.onnx');
    expect(sha256(model)).toBe(before);
    expect(filesUnder(variantsDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const index = JSON.parse(fs.readFileSync(path.join(variantsDir, 'index.json'), 'utf8')) as IndexFile;
    const names = Object.values(index.families).flatMap((f) => f.variants.map((v) => v.name));
    expect(names).toContain('after-crash');
    expect(names).not.toContain('killed');
  }, 120_000);
});
