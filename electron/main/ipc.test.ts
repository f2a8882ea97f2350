/** The IPC handlers: one `studio:` channel per method, untrusted frames refused, malformed payloads typed errors. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../shared/api/methods';

type Handler = (event: unknown, payload?: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn) },
  dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
}));

const { registerIpc } = await import('./ipc');

const APP_URL = 'file:///app/out/renderer/index.html';
function event(url: string, sameFrame = true) {
  const mainFrame = { url };
  return { senderFrame: sameFrame ? mainFrame : { url }, sender: { mainFrame } };
}

describe('registerIpc', () => {
  const calls: Array<[string, unknown]> = [];
  beforeEach(() => {
    handlers.clear();
    calls.length = 0;
    const client = {
      call: async (method: string, request: unknown) => {
        calls.push([method, request]);
        return { ok: 'yes' };
      },
    };
    registerIpc(client as never, (url) => url.startsWith('file:///app/out/renderer/'), () => undefined);
  });

  it('registers a studio: channel for every API method', () => {
    for (const m of METHOD_NAMES) expect(handlers.has(`studio:${m}`), m).toBe(true);
    for (const channel of handlers.keys()) expect(channel.startsWith('studio:')).toBe(true);
  });

  it('refuses calls from frames that are not the studio renderer', async () => {
    for (const m of METHOD_NAMES) {
      const foreign = (await handlers.get(`studio:${m}`)!(event('https://evil.example/'), {})) as { ok: boolean; error: { code: string } };
      expect(foreign.ok).toBe(false);
      expect(foreign.error.code).toBe('ACCESS_DENIED');
      const subframe = (await handlers.get(`studio:${m}`)!(event(APP_URL, false), {})) as { ok: boolean; error: { code: string } };
      expect(subframe.error.code).toBe('ACCESS_DENIED');
    }
    expect(calls).toHaveLength(0);
  });

  it('answers malformed payloads to every handler with a typed error and never reaches the engine', async () => {
    const malformed: unknown[] = [42, 'text', [], { path: 7 }, { modelId: '' }, { unexpected: true }, { jobId: 5 }];
    for (const m of METHOD_NAMES) {
      for (const payload of malformed) {
        const reply = (await handlers.get(`studio:${m}`)!(event(APP_URL), payload)) as { ok: boolean; error?: { code: string; message: string } };
        if (reply.ok) continue; // some methods accept {} — only valid payloads may pass
        expect(reply.error?.code, `${m} ${JSON.stringify(payload)}`).toBe('INVALID_REQUEST');
        expect(reply.error?.message).toMatch(new RegExp(`Invalid ${m} request`));
      }
    }
    const reachedWithBadPayload = calls.filter(([, req]) => typeof req !== 'object' || req === null || Array.isArray(req));
    expect(reachedWithBadPayload).toHaveLength(0);
  });

  it('passes a valid request through and marks the host as electron', async () => {
    const reply = (await handlers.get('studio:getAppInfo')!(event(APP_URL), {})) as { ok: boolean; value: { host: string } };
    expect(reply.ok).toBe(true);
    expect(reply.value.host).toBe('electron');
  });
});
