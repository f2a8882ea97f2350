/** The folder host functions: only the studio's frame, only absolute paths of existing folders are opened (never files). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

type Handler = (event: unknown, payload?: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();
const opened: string[] = [];

vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn) },
  dialog: { showOpenDialog: async () => ({ canceled: false, filePaths: ['/chosen/folder'] }) },
  shell: {
    openPath: async (p: string) => {
      opened.push(p);
      return '';
    },
  },
}));

const { registerFolderHost } = await import('./folder-host');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-folder-host-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('folder host functions', () => {
  registerFolderHost((e) => (e as unknown as { ok: boolean }).ok, () => undefined);
  const trusted = { ok: true };
  const open = (arg: unknown, event: unknown = trusted) => handlers.get('studio:host:openFolder')!(event, arg);

  it('opens an existing folder', async () => {
    await expect(open(tmp)).resolves.toBe(true);
    expect(opened).toEqual([tmp]);
  });

  it('refuses files, relative or missing paths, and untrusted frames', async () => {
    const file = path.join(tmp, 'run.exe');
    fs.writeFileSync(file, 'x');
    for (const bad of [file, 'relative/dir', path.join(tmp, 'missing'), 42, 'x'.repeat(5000)]) await expect(open(bad)).resolves.toBe(false);
    await expect(open(tmp, { ok: false })).resolves.toBe(false);
    expect(opened).toEqual([tmp]);
  });

  it('picks a folder only for the trusted frame', async () => {
    await expect(handlers.get('studio:host:pickFolder')!(trusted, 'Output')).resolves.toBe('/chosen/folder');
    await expect(handlers.get('studio:host:pickFolder')!({ ok: false }, 'Output')).resolves.toBeNull();
  });
});
