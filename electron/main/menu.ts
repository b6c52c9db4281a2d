import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { InvokeChannel } from '../../shared/ipc-contract.ts';
import type { ServicePort } from './ipc.ts';
import { focusWindow } from './window.ts';

/** What the menu needs: the service to ask and the window to bring forward. */
export interface MenuTarget {
  readonly service: Pick<ServicePort, 'handle'>;
  readonly window: () => BrowserWindow | undefined;
  /** `process.platform`; macOS gets the app menu. */
  readonly platform: NodeJS.Platform;
}

/** The menu template: File (New Virtual Machine, Check for policy now) plus the standard menus. */
export function menuTemplate(target: MenuTarget): MenuItemConstructorOptions[] {
  // The window shows the outcome (job phases, the agent's last check-in), so it comes forward
  // first; the answer itself is already in the state pushed to the window.
  const run = (channel: InvokeChannel) => () => {
    focusWindow(target.window());
    void target.service.handle(channel, undefined).catch(() => undefined);
  };
  const isMac = target.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      {
        id: 'new-vm',
        label: 'New Virtual Machine…',
        accelerator: 'CmdOrCtrl+N',
        click: run('job:start-new-vm'),
      },
      { type: 'separator' },
      { id: 'check-policy', label: 'Check for policy now', click: run('agent:connect') },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  return isMac ? [{ role: 'appMenu' }, ...template] : template;
}

/** Builds the menu and makes it the application menu. */
export function setupMenu(target: MenuTarget): Menu {
  const menu = Menu.buildFromTemplate(menuTemplate(target));
  Menu.setApplicationMenu(menu);
  return menu;
}
