/** Host functions for output folders: choose one (native dialog) and open one in the file manager (never a file). */
import { dialog, ipcMain, shell, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHANNEL_PREFIX } from '../../shared/api/methods';

/**
 * Registers `host:pickFolder` and `host:openFolder`.
 * @param trusted - whether an IPC event comes from the studio's own main frame
 * @param getWindow - the main window (dialog parent)
 * @remarks `openFolder` opens directories only: shell.openPath on a file would run it.
 */
export function registerFolderHost(trusted: (event: IpcMainInvokeEvent) => boolean, getWindow: () => BrowserWindow | undefined): void {
  ipcMain.handle(`${CHANNEL_PREFIX}host:pickFolder`, async (event, title: unknown) => {
    if (!trusted(event)) return null;
    const options = { title: typeof title === 'string' ? title.slice(0, 200) : 'Choose a folder', properties: ['openDirectory' as const, 'createDirectory' as const] };
    const win = getWindow();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
  });
  ipcMain.handle(`${CHANNEL_PREFIX}host:openFolder`, async (event, dir: unknown) => {
    if (!trusted(event) || typeof dir !== 'string' || dir.length > 4096 || !path.isAbsolute(dir)) return false;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dir);
    } catch {
      return false;
    }
    if (!stat.isDirectory()) return false;
    return (await shell.openPath(dir)) === '';
  });
}
