/** Serve mode refuses what it must: no token, a foreign Host or Origin, path traversal, oversized uploads and messages. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EngineClient } from '../../electron/engine/host/engine-client';
import { forkTransport } from '../../electron/engine/host/fork-transport';
import { startServer, type RunningServer } from '../../electron/server/studio-server';
import { ROOT, SAMPLE } from './fixtures';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(port: number, opts: { path: string; method?: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

function wsOpen(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function rpc(ws: WebSocket, method: string, request: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { type: string; id: number; ok: boolean };
      if (msg.type === 'result' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, method, params: request }));
  });
}

describe('serve mode security', () => {
  let server: RunningServer;
  let client: EngineClient;
  let uploadDir: string;
  let dataDir: string;
  let cookie: string;
  beforeAll(async () => {
    const built = path.join(ROOT, 'out', 'engine', 'engine-host.cjs');
    if (!fs.existsSync(built)) throw new Error('Build first: node scripts/build.mjs');
    uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-up-'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-data-'));
    client = new EngineClient(() => forkTransport(built), {
      dataDir,
      samplePath: SAMPLE,
      appVersion: 'test',
      allowedRoots: [path.dirname(SAMPLE)],
    });
    server = await startServer({ client, rendererDir: path.join(ROOT, 'out', 'renderer'), uploadDir, maxUploadBytes: 1_000_000, maxMessageBytes: 64 * 1024 });
    cookie = `ds_token=${encodeURIComponent(server.token)}`;
  });
  afterAll(async () => {
    await server?.close();
    client?.dispose();
    fs.rmSync(uploadDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const host = () => ({ Host: `127.0.0.1:${server.port}` });

  it('binds 127.0.0.1 by default', () => {
    expect(server.url.startsWith('http://127.0.0.1:')).toBe(true);
  });

  it('refuses HTTP requests without the token, or with a wrong one', async () => {
    expect((await request(server.port, { path: '/', headers: host() })).status).toBe(401);
    expect((await request(server.port, { path: '/?token=wrong', headers: host() })).status).toBe(401);
    expect((await request(server.port, { path: '/', headers: { ...host(), Cookie: 'ds_token=nope' } })).status).toBe(401);
  });

  it('trades the URL token for an HttpOnly SameSite cookie, then serves the app with a CSP', async () => {
    const first = await request(server.port, { path: `/?token=${server.token}`, headers: host() });
    expect(first.status).toBe(302);
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await request(server.port, { path: '/', headers: { ...host(), Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    const rebound = await request(server.port, { path: '/', headers: { Host: `evil.example:${server.port}`, Cookie: cookie } });
    expect(rebound.status).toBe(421);
    const cross = await request(server.port, { path: '/', headers: { ...host(), Origin: 'http://evil.example', Cookie: cookie } });
    expect(cross.status).toBe(403);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
      const r = await request(server.port, { path: p, headers: { ...host(), Cookie: cookie } });
      expect(r.body).not.toContain('"name": "deploy-studio"');
      expect(r.body).not.toContain('root:');
    }
  });

  it('refuses WebSocket connections without the token or from another origin', async () => {
    const wsUrl = `ws://127.0.0.1:${server.port}/api/ws`;
    await expect(wsOpen(wsUrl)).rejects.toThrow(/401/);
    await expect(wsOpen(wsUrl, { Cookie: cookie, Origin: 'http://evil.example' })).rejects.toThrow(/401/);
    const ws = await wsOpen(wsUrl, { Cookie: cookie, Origin: `http://127.0.0.1:${server.port}` });
    ws.close();
  });

  it('validates every RPC payload and names the bad field', async () => {
    const ws = await wsOpen(`ws://127.0.0.1:${server.port}/api/ws`, { Cookie: cookie });
    const unknown = await rpc(ws, 'deleteEverything', {});
    expect(unknown.error?.code).toBe('UNKNOWN_METHOD');
    const bad = await rpc(ws, 'openModel', { path: 42 });
    expect(bad.error?.code).toBe('INVALID_REQUEST');
    expect(bad.error?.message).toContain('path');
    const extra = await rpc(ws, 'getSummary', { modelId: 'x', sneaky: true });
    expect(extra.error?.code).toBe('INVALID_REQUEST');
    ws.close();
  });

  it('confines file access to the folders the user opened or chose', async () => {
    const ws = await wsOpen(`ws://127.0.0.1:${server.port}/api/ws`, { Cookie: cookie });
    const outside = await rpc(ws, 'openModel', { path: '/usr/share/libonnx-testdata/data/node/test_if/model.onnx' });
    expect(outside.error?.code).toBe('ACCESS_DENIED');
    const traversal = await rpc(ws, 'openModel', { path: `${uploadDir}/../../etc/passwd` });
    expect(traversal.error?.code).toBe('ACCESS_DENIED');
    const sample = await rpc(ws, 'openSample', {});
    expect(sample.ok).toBe(true);
    ws.close();
  });

  it('stores uploads under the session folder with a safe name, and refuses oversized ones', async () => {
    const model = fs.readFileSync('/usr/share/libonnx-testdata/data/node/test_if/model.onnx');
    const up = await request(server.port, { path: '/api/upload?name=..%2F..%2Fevil.onnx', method: 'POST', headers: { ...host(), Cookie: cookie }, body: model });
    expect(up.status).toBe(200);
    const stored = (JSON.parse(up.body) as { path: string }).path;
    expect(path.relative(uploadDir, stored).startsWith('..')).toBe(false);
    expect(path.basename(stored)).toBe('evil.onnx');
    const ws = await wsOpen(`ws://127.0.0.1:${server.port}/api/ws`, { Cookie: cookie });
    expect((await rpc(ws, 'openModel', { path: stored })).ok).toBe(true);
    ws.close();
    const big = await request(server.port, {
      path: '/api/upload?name=big.onnx',
      method: 'POST',
      headers: { ...host(), Cookie: cookie, 'Content-Length': String(2_000_000) },
      body: Buffer.alloc(2_000_000),
    }).catch((err: Error) => ({ status: 413, body: err.message, headers: {} }));
    expect(big.status).toBe(413);
    const noToken = await request(server.port, { path: '/api/upload?name=x.onnx', method: 'POST', headers: host(), body: model });
    expect(noToken.status).toBe(401);
  });

  it('closes a WebSocket that sends a message over the size limit', async () => {
    const ws = await wsOpen(`ws://127.0.0.1:${server.port}/api/ws`, { Cookie: cookie });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ id: 1, method: 'openModel', request: { path: 'x'.repeat(100_000) } }));
    expect(await closed).toBe(1009);
  });
});
