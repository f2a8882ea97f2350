/** The application menu: File, View and Help, with the keyboard shortcuts the renderer lists in its help overlay. */
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { CHANNEL_PREFIX } from '../../shared/api/methods';

/** Installs the menu; commands are sent to the renderer as `studio:menu` messages. */
export function installMenu(getWindow: () => BrowserWindow | undefined): void {
  const send = (command: string, arg?: string) => getWindow()?.webContents.send(`${CHANNEL_PREFIX}menu`, command, arg);
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Model…', accelerator: 'CmdOrCtrl+O', click: () => send('open') },
        { label: 'Open Sample Model', accelerator: 'CmdOrCtrl+Shift+O', click: () => send('open-sample') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Toggle Dark Theme', accelerator: 'CmdOrCtrl+Shift+L', click: () => send('toggle-theme') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    {
      label: '&Help',
      submenu: [{ label: 'Keyboard Shortcuts', accelerator: 'F1', click: () => send('shortcuts') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
