/** The engine host as `serve` runs it: started ahead of the first call, answering with JSON text (`jsonResults`). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../electron/engine/host/engine-client';
import { forkTransport } from '../../electron/engine/host/fork-transport';
import { ROOT, SAMPLE } from './fixtures';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-host-json-'));
const host = path.join(ROOT, 'out', 'engine', 'engine-host.cjs');
const clients: EngineClient[] = [];
afterAll(() => {
  for (const c of clients) c.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function client(jsonResults: boolean): EngineClient {
  const c = new EngineClient(() => forkTransport(host), { dataDir, samplePath: SAMPLE, appVersion: 'test', jsonResults });
  clients.push(c);
  return c;
}

describe('engine host start and JSON results', () => {
  it('start() runs the host before any call, once', async () => {
    const c = client(true);
    c.start();
    expect(c.starts).toBe(1);
    expect(c.pid).toBeGreaterThan(0);
    await c.call('getAppInfo', {});
    c.start();
    expect(c.starts).toBe(1);
  });

  it('gives the same answers as values (call) and as JSON text (callJson), with either host mode', async () => {
    for (const json of [true, false]) {
      const c = client(json);
      const opened = await c.call('openSample', {});
      const text = await c.callJson('getSummary', { modelId: opened.modelId });
      expect(typeof text).toBe('string');
      expect(JSON.parse(text as string)).toEqual(await c.call('getSummary', { modelId: opened.modelId }));
      expect((await c.call('getSummary', { modelId: opened.modelId })).fileName).toBe('fashion-cnn.onnx');
    }
  });

  it('still reports engine errors as StudioErrors', async () => {
    const c = client(true);
    await expect(c.callJson('getSummary', { modelId: 'model-404' })).rejects.toMatchObject({ code: 'UNKNOWN_MODEL' });
  });
});
