import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { detectArch } from '../../electron/app/app-settings.ts';
import { desktopHome, startDesktopApp } from '../../electron/main/main.ts';
import { BrowserWindow, Menu, app, dialog, ipcMain, resetElectronFake } from './electron-fake.ts';

const service = vi.hoisted(() => ({
  handle: async () => ({ ok: true, value: null }),
  subscribe: () => () => undefined,
  close: async () => undefined,
}));
const { createAppService } = vi.hoisted(() => ({
  createAppService: vi.fn(async (_options: unknown) => service),
}));

// electron-store (behind main's stores) imports electron's default export.
vi.mock('electron', async () => {
  const fake = await import('./electron-fake.ts');
  return { ...fake, default: fake };
});
vi.mock('../../electron/app/app-service.ts', () => ({ createAppService }));

beforeEach(() => {
  resetElectronFake();
  vi.stubEnv('PROVISIM_HOME', '');
});

describe('startDesktopApp', () => {
  it('starts the service in userData with the detected arch, then window, IPC and menu', async () => {
    await startDesktopApp();
    expect(createAppService).toHaveBeenCalledWith({
      home: join('/fake-userData', 'agent'),
      detectedArch: detectArch({ platformArch: process.arch, runningUnderARM64Translation: false }),
    });
    expect(BrowserWindow.instances).toHaveLength(1);
    expect(ipcMain.handlers.has('job:start-new-vm')).toBe(true);
    expect(Menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('reports arm64 under Rosetta', async () => {
    app.runningUnderARM64Translation = true;
    await startDesktopApp();
    expect(createAppService.mock.calls[0]![0]).toMatchObject({ detectedArch: 'arm64' });
    expect(detectArch({ platformArch: 'x64', runningUnderARM64Translation: true })).toBe('arm64');
    expect(detectArch({ platformArch: 'x64', runningUnderARM64Translation: false })).toBe('x86_64');
  });

  it('brings its window forward when a second instance starts', async () => {
    await startDesktopApp();
    const [window] = BrowserWindow.instances;
    app.emit('second-instance', {}, [], '.');
    expect(window!.focus).toHaveBeenCalled();
  });

  it('quits at once when another instance holds the lock', async () => {
    app.requestSingleInstanceLock.mockReturnValueOnce(false);
    await startDesktopApp();
    expect(app.quit).toHaveBeenCalled();
    expect(createAppService).not.toHaveBeenCalled();
    expect(BrowserWindow.instances).toHaveLength(0);
  });

  it('says why in an error box and quits when the agent cannot start', async () => {
    const busy = new ProvisimError('AGENT_BUSY', { message: 'Another agent uses this home.' });
    createAppService.mockRejectedValueOnce(busy);
    await startDesktopApp();
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      'Provisim could not start',
      'Another agent uses this home.',
    );
    expect(app.quit).toHaveBeenCalled();
  });

  it('closes the service before quitting', async () => {
    const close = vi.spyOn(service, 'close');
    await startDesktopApp();
    app.emit('will-quit', { preventDefault: vi.fn() });
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('desktopHome', () => {
  it('uses PROVISIM_HOME when set, else a folder in userData', () => {
    expect(desktopHome('data', { PROVISIM_HOME: ' ' })).toBe(join('data', 'agent'));
    expect(desktopHome('data', { PROVISIM_HOME: 'elsewhere' })).toBe('elsewhere');
  });
});
