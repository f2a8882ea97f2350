/** The native open dialog for data files and folders (calibration, validation, labels, images, preprocessing). */
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type OpenDialogOptions } from 'electron';
import { z } from 'zod';
import { CHANNEL_PREFIX } from '../../shared/api/methods';

/** The dialog's options from the renderer, validated like every payload. */
export const PickPathSchema = z
  .object({
    kind: z.enum(['file', 'folder']),
    title: z.string().min(1).max(200),
    extensions: z
      .array(z.string().regex(/^[A-Za-z0-9]{1,16}$/))
      .min(1)
      .max(16)
      .optional(),
  })
  .strict();

/**
 * Registers `studio:host:pickPath`: shows the open dialog for a file or a folder and grants the chosen path to the engine.
 * @param trusted - whether an IPC event comes from the studio's own main frame
 * @param getWindow - the main window (the dialog's parent)
 * @param grant - makes a chosen path readable by the engine host
 * @remarks Untrusted frames and malformed options get null without a dialog.
 */
export function registerFileDialogs(trusted: (event: IpcMainInvokeEvent) => boolean, getWindow: () => BrowserWindow | undefined, grant: (p: string) => void): void {
  ipcMain.handle(`${CHANNEL_PREFIX}host:pickPath`, async (event, payload: unknown) => {
    const parsed = PickPathSchema.safeParse(payload);
    if (!trusted(event) || !parsed.success) return null;
    const { kind, title, extensions } = parsed.data;
    const options: OpenDialogOptions = {
      title,
      properties: kind === 'folder' ? ['openDirectory'] : ['openFile'],
      ...(kind === 'file' && extensions
        ? {
            filters: [
              { name: title, extensions },
              { name: 'All files', extensions: ['*'] },
            ],
          }
        : {}),
    };
    const win = getWindow();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    const chosen = result.canceled ? undefined : result.filePaths[0];
    if (!chosen) return null;
    grant(chosen);
    return chosen;
  });
}
