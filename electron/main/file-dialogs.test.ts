/** The data-file dialog: options validated, only the studio's frame, the chosen path granted to the engine. */
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (event: unknown, payload?: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();
const shown: unknown[] = [];
let answer: { canceled: boolean; filePaths: string[] } = { canceled: false, filePaths: ['/data/val'] };

vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn) },
  dialog: {
    showOpenDialog: async (...args: unknown[]) => {
      shown.push(args[args.length - 1]);
      return answer;
    },
  },
}));

const { registerFileDialogs } = await import('./file-dialogs');

describe('studio:host:pickPath', () => {
  const granted: string[] = [];
  const trusted = { ok: true };
  const pick = (payload: unknown, event: unknown = trusted) => handlers.get('studio:host:pickPath')!(event, payload);
  beforeEach(() => {
    handlers.clear();
    shown.length = 0;
    granted.length = 0;
    answer = { canceled: false, filePaths: ['/data/val'] };
    registerFileDialogs((e) => (e as unknown as { ok: boolean }).ok, () => undefined, (p) => granted.push(p));
  });

  it('opens a folder dialog and grants the chosen folder', async () => {
    await expect(pick({ kind: 'folder', title: 'Validation data' })).resolves.toBe('/data/val');
    expect(shown).toEqual([{ title: 'Validation data', properties: ['openDirectory'] }]);
    expect(granted).toEqual(['/data/val']);
  });

  it('opens a file dialog filtered by the extensions asked for', async () => {
    answer = { canceled: false, filePaths: ['/data/calib.npy'] };
    await expect(pick({ kind: 'file', title: 'Calibration data', extensions: ['npy'] })).resolves.toBe('/data/calib.npy');
    expect(shown[0]).toMatchObject({ properties: ['openFile'], filters: [{ name: 'Calibration data', extensions: ['npy'] }, { name: 'All files', extensions: ['*'] }] });
    expect(granted).toEqual(['/data/calib.npy']);
  });

  it('answers null when the user cancels, and grants nothing', async () => {
    answer = { canceled: true, filePaths: [] };
    await expect(pick({ kind: 'file', title: 'Labels' })).resolves.toBeNull();
    expect(granted).toEqual([]);
  });

  it('refuses malformed options and untrusted frames without showing a dialog', async () => {
    for (const bad of [undefined, 'folder', { kind: 'drive', title: 'x' }, { kind: 'file', title: '' }, { kind: 'file', title: 'x', extensions: ['../x'] }, { kind: 'file', title: 'x', extra: 1 }]) {
      await expect(pick(bad)).resolves.toBeNull();
    }
    await expect(pick({ kind: 'folder', title: 'Data' }, { ok: false })).resolves.toBeNull();
    expect(shown).toEqual([]);
    expect(granted).toEqual([]);
  });
});
