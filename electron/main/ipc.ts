/** IPC wiring: one `studio:` channel per StudioApi method, sender frame checked, every payload validated. */
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { toErrorDto } from '../../shared/api/errors';
import { CHANNEL_PREFIX, METHOD_NAMES, parseRequest, type AppInfo, type RequestOf } from '../../shared/api/methods';
import type { EngineClient } from '../engine/host/engine-client';
import { registerFileDialogs } from './file-dialogs';
import { registerFolderHost } from './folder-host';
import { z } from 'zod';

/** The save dialog's options from the renderer (validated like every payload). */
const SaveDialogSchema = z
  .object({ title: z.string().min(1).max(200), defaultName: z.string().min(1).max(255), extensions: z.array(z.string().regex(/^[a-z0-9.]{1,16}$/)).min(1).max(4) })
  .strict();

/**
 * Registers the handlers.
 * @param client - the engine host client
 * @param isTrustedUrl - whether a frame URL is the studio's own renderer
 * @param getWindow - the main window (for dialogs)
 */
export function registerIpc(client: EngineClient, isTrustedUrl: (url: string) => boolean, getWindow: () => BrowserWindow | undefined): void {
  const trusted = (event: IpcMainInvokeEvent) => {
    const url = event.senderFrame?.url ?? '';
    return isTrustedUrl(url) && event.senderFrame === event.sender.mainFrame;
  };
  for (const method of METHOD_NAMES) {
    ipcMain.handle(`${CHANNEL_PREFIX}${method}`, async (event, payload: unknown) => {
      if (!trusted(event)) return { ok: false, error: { code: 'ACCESS_DENIED', message: 'Request from an untrusted frame refused.' } };
      // the one validation of an app request: the engine host trusts this process and does not parse it again
      const parsed = parseRequest(method, payload);
      if (!parsed.ok) return { ok: false, error: { code: parsed.code, message: parsed.message } };
      try {
        let value: unknown = await client.call(parsed.method, parsed.request as RequestOf<typeof parsed.method>);
        if (method === 'getAppInfo') value = { ...(value as AppInfo), host: 'electron' };
        return { ok: true, value };
      } catch (err) {
        return { ok: false, error: toErrorDto(err) };
      }
    });
  }
  registerFolderHost(trusted, getWindow);
  registerFileDialogs(trusted, getWindow, (p) => client.allowRoot(p));
  ipcMain.handle(`${CHANNEL_PREFIX}host:pickModelFile`, async (event) => {
    if (!trusted(event)) return null;
    const win = getWindow();
    const options = {
      title: 'Open an ONNX model',
      properties: ['openFile' as const],
      filters: [
        { name: 'ONNX models', extensions: ['onnx', 'ort'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
  });
  ipcMain.handle(`${CHANNEL_PREFIX}host:pickSavePath`, async (event, payload: unknown) => {
    const parsed = SaveDialogSchema.safeParse(payload);
    if (!trusted(event) || !parsed.success) return null;
    const win = getWindow();
    const options = { title: parsed.data.title, defaultPath: parsed.data.defaultName, filters: [{ name: parsed.data.title, extensions: parsed.data.extensions }] };
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  });
}
