/** Files in serve mode: one rule for every place (uploads and `--allow` folders), folder uploads, variants by content. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { allowedFolders } from '../../electron/cli/serve-command';
import { EngineClient } from '../../electron/engine/host/engine-client';
import { forkTransport } from '../../electron/engine/host/fork-transport';
import { startServer, type RunningServer } from '../../electron/server/studio-server';
import { ROOT, SAMPLE } from './fixtures';

const SAMPLE_IMAGES = path.join(path.dirname(SAMPLE), 'images');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-serve-files-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function post(port: number, cookie: string, query: string, body: Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: `/api/upload?${query}`, method: 'POST', headers: { Host: `127.0.0.1:${port}`, Cookie: cookie } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function get(port: number, cookie: string, p: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, headers: { Host: `127.0.0.1:${port}`, Cookie: cookie } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      })
      .on('error', reject);
  });
}

interface Reply {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}

class Session {
  private next = 1;
  private constructor(private readonly ws: WebSocket) {}
  static open(port: number, cookie: string): Promise<Session> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, { headers: { Cookie: cookie } });
      ws.once('open', () => resolve(new Session(ws)));
      ws.once('error', reject);
    });
  }
  call(method: string, params: unknown): Promise<Reply> {
    const id = this.next++;
    return new Promise((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        const msg = JSON.parse(data.toString()) as Reply & { type: string; id: number };
        if (msg.type === 'result' && msg.id === id) {
          this.ws.off('message', onMessage);
          resolve(msg);
        }
      };
      this.ws.on('message', onMessage);
      this.ws.send(JSON.stringify({ type: 'call', id, method, params }));
    });
  }
  close(): void {
    this.ws.close();
  }
}

/** A serve session as `deploy-studio serve --allow <granted>` starts it (fresh upload folder, shared data folder). */
async function serve(dataDir: string, granted: string[]): Promise<{ server: RunningServer; client: EngineClient; cookie: string; uploadDir: string }> {
  const built = path.join(ROOT, 'out', 'engine', 'engine-host.cjs');
  if (!fs.existsSync(built)) throw new Error('Build first: node scripts/build.mjs');
  const uploadDir = fs.mkdtempSync(path.join(tmp, 'uploads-'));
  const client = new EngineClient(() => forkTransport(built), { dataDir, samplePath: SAMPLE, appVersion: 'test', allowedRoots: [path.dirname(SAMPLE), ...granted] });
  const server = await startServer({ client, rendererDir: path.join(ROOT, 'out', 'renderer'), uploadDir, allowedFolders: granted });
  return { server, client, cookie: `ds_token=${encodeURIComponent(server.token)}`, uploadDir };
}

describe('serve --allow and uploads', () => {
  const granted = path.join(tmp, 'granted');
  const outside = path.join(tmp, 'outside');
  const dataDir = path.join(tmp, 'data');
  let s: Awaited<ReturnType<typeof serve>>;
  let api: Session;
  beforeAll(async () => {
    for (const d of [granted, outside]) {
      fs.mkdirSync(d, { recursive: true });
      fs.copyFileSync(SAMPLE, path.join(d, 'model.onnx'));
      fs.cpSync(SAMPLE_IMAGES, path.join(d, 'images'), { recursive: true });
    }
    s = await serve(dataDir, allowedFolders([granted]));
    api = await Session.open(s.server.port, s.cookie);
  });
  afterAll(async () => {
    api?.close();
    await s?.server.close();
    s?.client.dispose();
  });

  it('refuses --allow of a missing folder or of a file, naming it', () => {
    expect(() => allowedFolders([path.join(tmp, 'missing')])).toThrow(/does not exist/);
    expect(() => allowedFolders([path.join(granted, 'model.onnx')])).toThrow(/is a file/);
  });

  it('lists the granted folders for the UI', async () => {
    const info = JSON.parse(await get(s.server.port, s.cookie, '/api/session')) as { allowedFolders: string[] };
    expect(info.allowedFolders).toEqual([granted]);
  });

  it('reads models and datasets inside a granted folder, and refuses the same files outside it with the ways to reach them', async () => {
    const inside = await api.call('openModel', { path: path.join(granted, 'model.onnx') });
    expect(inside.ok).toBe(true);
    const modelId = (inside.value as { modelId: string }).modelId;
    const dataset = await api.call('inspectDataset', { modelId, data: { path: path.join(granted, 'images') } });
    expect(dataset.error).toBeUndefined();
    expect((dataset.value as { classNames: string[] }).classNames).toHaveLength(10);

    const model = await api.call('openModel', { path: path.join(outside, 'model.onnx') });
    expect(model.error?.code).toBe('ACCESS_DENIED');
    expect(model.error?.message).toMatch(/outside the folders this session may read.*Upload it, or restart `deploy-studio serve --allow <its folder>`/);
    const data = await api.call('inspectDataset', { modelId, data: { path: path.join(outside, 'images') } });
    expect(data.error?.code).toBe('ACCESS_DENIED');
    expect(data.error?.message).toContain(`The dataset ${path.join(outside, 'images')} is outside`);
  });

  it('stores an uploaded folder with its class folders, readable as a dataset', async () => {
    const group = 'folder-upload-0001';
    const files: string[] = [];
    for (const cls of fs.readdirSync(SAMPLE_IMAGES)) for (const f of fs.readdirSync(path.join(SAMPLE_IMAGES, cls))) files.push(`${cls}/${f}`);
    let folder = '';
    for (const rel of files) {
      const up = await post(s.server.port, s.cookie, `group=${group}&rel=${encodeURIComponent(`val/${rel}`)}`, fs.readFileSync(path.join(SAMPLE_IMAGES, rel)));
      expect(up.status).toBe(200);
      folder = up.json.folder as string;
    }
    expect(path.dirname(folder)).toBe(s.uploadDir);
    expect(fs.readdirSync(path.join(folder, 'val')).sort()).toEqual(fs.readdirSync(SAMPLE_IMAGES).sort());
    const opened = await api.call('openSample', {});
    const modelId = (opened.value as { modelId: string }).modelId;
    const dataset = await api.call('inspectDataset', { modelId, data: { path: path.join(folder, 'val') } });
    expect(dataset.error).toBeUndefined();
    expect(dataset.value).toMatchObject({ kind: 'image-folder', itemCount: files.length });
    // a relative path cannot climb out of its group
    const climb = await post(s.server.port, s.cookie, `group=${group}&rel=${encodeURIComponent('../../../escape.png')}`, Buffer.from('x'));
    expect(path.relative(folder, climb.json.path as string).startsWith('..')).toBe(false);
  });

  it('leaves nothing behind when an upload is cancelled half-way', async () => {
    const group = 'cancelled-upload-01';
    const req = http.request({
      host: '127.0.0.1',
      port: s.server.port,
      path: `/api/upload?group=${group}&name=half.onnx`,
      method: 'POST',
      headers: { Host: `127.0.0.1:${s.server.port}`, Cookie: s.cookie, 'Content-Length': String(4_000_000) },
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(1_000_000));
    const dir = path.join(s.uploadDir, group);
    await expect.poll(() => fs.existsSync(dir) && fs.readdirSync(dir).length > 0).toBe(true);
    req.destroy();
    await expect.poll(() => fs.readdirSync(dir)).toEqual([]);
  });
});

describe('variants belong to the model content across serve restarts', () => {
  const dataDir = path.join(tmp, 'data-restart');

  it('finds the variants of a model uploaded again to a fresh upload folder, and opened from another path', async () => {
    const bytes = fs.readFileSync(SAMPLE);
    const first = await serve(dataDir, []);
    let api = await Session.open(first.server.port, first.cookie);
    const up = await post(first.server.port, first.cookie, 'name=fashion.onnx', bytes);
    const opened = await api.call('openModel', { path: up.json.path });
    const modelId = (opened.value as { modelId: string }).modelId;
    const made = await api.call('runPasses', { modelId, steps: [{ pass: 'quantize-dynamic', options: {} }], name: 'int8 dyn' });
    expect(made.error).toBeUndefined();
    const before = (await api.call('listVariants', { modelId })).value as Array<{ name: string }>;
    expect(before.map((v) => v.name)).toContain('int8 dyn');
    api.close();
    await first.server.close();
    first.client.dispose();
    fs.rmSync(first.uploadDir, { recursive: true, force: true });

    const granted = path.join(tmp, 'elsewhere');
    fs.mkdirSync(granted, { recursive: true });
    fs.writeFileSync(path.join(granted, 'renamed.onnx'), bytes);
    const second = await serve(dataDir, [granted]);
    api = await Session.open(second.server.port, second.cookie);
    const reopened = await api.call('openModel', { path: path.join(granted, 'renamed.onnx') });
    const after = (await api.call('listVariants', { modelId: (reopened.value as { modelId: string }).modelId })).value as Array<{ name: string; path: string }>;
    expect(after.map((v) => v.name)).toEqual(['original', 'int8 dyn']);
    expect(after[0].path).toBe(path.join(granted, 'renamed.onnx'));
    // the recent list leaves out the old session's upload (gone, and outside this session's folders)
    const recent = (await api.call('listRecent', {})).value as Array<{ path: string }>;
    expect(recent.map((r) => r.path)).toEqual([path.join(granted, 'renamed.onnx')]);
    api.close();
    await second.server.close();
    second.client.dispose();
  }, 120_000);
});
