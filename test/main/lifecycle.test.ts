import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppService } from '../../electron/app/app-service.ts';
import { PushBus } from '../../electron/app/push-bus.ts';
import {
  setupActivate,
  setupQuit,
  setupSingleInstance,
  whenStarted,
} from '../../electron/main/lifecycle.ts';
import { BrowserWindow, app, resetElectronFake } from './electron-fake.ts';

vi.mock('electron', () => import('./electron-fake.ts'));

function quitEvent() {
  const preventDefault = vi.fn();
  app.emit('will-quit', { preventDefault });
  return preventDefault;
}

beforeEach(resetElectronFake);

describe('single instance', () => {
  it('focuses the running window when a second instance starts', () => {
    const window = new BrowserWindow({});
    window.minimized = true;
    expect(setupSingleInstance(() => window as never)).toBe(true);
    app.emit('second-instance', {}, ['provisim'], '.');
    expect(window.restore).toHaveBeenCalled();
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('reports that another instance holds the lock', () => {
    app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(setupSingleInstance(() => undefined)).toBe(false);
    expect(app.listenerCount('second-instance')).toBe(0);
  });
});

describe('quitting', () => {
  it('holds the quit until the service is closed, once, then quits', async () => {
    let finish!: () => void;
    const close = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    setupQuit({ close }, 'linux');
    expect(quitEvent()).toHaveBeenCalled();
    expect(quitEvent()).toHaveBeenCalled();
    expect(close).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();
    finish();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    expect(quitEvent()).not.toHaveBeenCalled();
  });

  it('still quits when closing fails, reporting the error', async () => {
    const onError = vi.fn();
    setupQuit({ close: () => Promise.reject(new Error('stuck')) }, 'linux', onError);
    quitEvent();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(onError).toHaveBeenCalledWith(new Error('stuck'));
  });

  it('quits when the last window closes, except on macOS', () => {
    setupQuit({ close: async () => undefined }, 'darwin');
    app.emit('window-all-closed');
    expect(app.quit).not.toHaveBeenCalled();
    app.removeAllListeners();
    setupQuit({ close: async () => undefined }, 'win32');
    app.emit('window-all-closed');
    expect(app.quit).toHaveBeenCalled();
  });

  it('opens a new window on activate when there is none, else focuses it', () => {
    let window: BrowserWindow | undefined;
    const create = vi.fn(() => (window = new BrowserWindow({})) as never);
    setupActivate(() => window as never, create);
    app.emit('activate');
    app.emit('activate');
    expect(create).toHaveBeenCalledTimes(1);
    expect(window!.focus).toHaveBeenCalledTimes(1);
  });
});

describe('the service while it starts', () => {
  it('makes calls wait for the start and attaches push listeners once it runs', async () => {
    let ready!: (service: AppService) => void;
    const port = whenStarted(new Promise((resolve) => (ready = resolve)));
    const bus = new PushBus();
    const handle = vi.fn(async () => ({ ok: true, value: 'state' }) as const);
    const close = vi.fn(async () => undefined);
    const listener = vi.fn();
    const dropped = vi.fn();
    port.subscribe('activity:changed', listener);
    port.subscribe('activity:changed', dropped)();
    const answer = port.handle('state:get', undefined);
    ready({ handle, close, subscribe: bus.subscribe.bind(bus) } as unknown as AppService);
    await expect(answer).resolves.toEqual({ ok: true, value: 'state' });
    bus.emit('activity:changed', { entries: [] });
    expect(listener).toHaveBeenCalledWith({ entries: [] });
    expect(dropped).not.toHaveBeenCalled();
    await port.close();
    expect(close).toHaveBeenCalled();
  });

  it('rejects calls when the start failed, and closes as a no-op', async () => {
    const port = whenStarted(Promise.reject(new Error('locked')));
    await expect(port.handle('state:get', undefined)).rejects.toThrow('locked');
    await expect(port.close()).resolves.toBeUndefined();
  });
});
