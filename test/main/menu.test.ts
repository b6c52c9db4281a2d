import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setupMenu } from '../../electron/main/menu.ts';
import { BrowserWindow, Menu, resetElectronFake } from './electron-fake.ts';

vi.mock('electron', () => import('./electron-fake.ts'));

const handle = vi.fn(async () => ({ ok: true, value: null }) as const);
let window: BrowserWindow;

function buildMenu(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  setupMenu({ service: { handle }, window: () => window as never, platform });
  expect(Menu.setApplicationMenu).toHaveBeenCalledWith(
    Menu.buildFromTemplate.mock.results[0]!.value,
  );
  return Menu.buildFromTemplate.mock.calls[0]![0] as MenuItemConstructorOptions[];
}

function fileItems(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  const file = template.find((menu) => menu.label === 'File');
  return file!.submenu as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions | undefined): void {
  expect(item?.click).toBeTypeOf('function');
  const handler = item!.click as unknown as () => void;
  handler();
}

beforeEach(() => {
  resetElectronFake();
  handle.mockImplementation(async () => ({ ok: true, value: null }) as const);
  window = new BrowserWindow({});
});

describe('the application menu', () => {
  it('starts a New VM job on CmdOrCtrl+N and brings the window forward', () => {
    const item = fileItems(buildMenu('linux')).find((entry) => entry.accelerator === 'CmdOrCtrl+N');
    expect(item?.label).toMatch(/^New Virtual Machine/);
    window.minimized = true;
    click(item);
    expect(handle).toHaveBeenCalledWith('job:start-new-vm', undefined);
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('checks in with the portal on "Check for policy now"', () => {
    const item = fileItems(buildMenu('win32')).find((e) => e.label === 'Check for policy now');
    click(item);
    expect(handle).toHaveBeenCalledTimes(1);
    expect(handle).toHaveBeenCalledWith('agent:connect', undefined);
    expect(window.focus).toHaveBeenCalled();
  });

  it('keeps the standard Edit, View and Window menus; macOS also gets the app menu', () => {
    const roles = (template: MenuItemConstructorOptions[]) =>
      template.map((m) => m.role ?? m.label);
    expect(roles(buildMenu('linux'))).toEqual(['File', 'editMenu', 'viewMenu', 'windowMenu']);
    expect(fileItems(buildMenu('linux')).at(-1)?.role).toBe('quit');
    Menu.buildFromTemplate.mockClear();
    const mac = buildMenu('darwin');
    expect(roles(mac)).toEqual(['appMenu', 'File', 'editMenu', 'viewMenu', 'windowMenu']);
    expect(fileItems(mac).at(-1)?.role).toBe('close');
  });

  it('survives a service that rejects: the window shows the outcome', async () => {
    handle.mockRejectedValueOnce(new Error('closed'));
    click(fileItems(buildMenu('linux')).find((e) => e.accelerator === 'CmdOrCtrl+N'));
    await Promise.resolve();
    expect(handle).toHaveBeenCalledTimes(1);
  });
});
