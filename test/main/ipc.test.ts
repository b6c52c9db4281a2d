import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invokeSchemas, type Result } from '../../shared/ipc-contract.ts';
import type { AppState } from '../../shared/ipc-contract.ts';
import { dispatch, type InvokeHandlers } from '../../electron/app/invoke-handlers.ts';
import { PushBus } from '../../electron/app/push-bus.ts';
import { handleInvoke, setupIpc, type IpcTarget } from '../../electron/main/ipc.ts';
import { appPaths } from '../../electron/main/window.ts';
import { BrowserWindow, FakeFrame, ipcMain, resetElectronFake, shell } from './electron-fake.ts';

vi.mock('electron', () => import('./electron-fake.ts'));

const paths = appPaths(join('provisim-app'));
let window: BrowserWindow;
let target: IpcTarget;
let bus: PushBus;
const handle = vi.fn(async (_channel: string, _payload: unknown): Promise<Result<unknown>> => ({
  ok: true,
  value: null,
}));
const service = () => ({ handle, subscribe: bus.subscribe.bind(bus) });

// An invoke event as Electron makes it: the sending web contents and frame.
function eventFrom(sender = window.webContents, frame: FakeFrame | null = sender.mainFrame) {
  return { sender, senderFrame: frame } as never;
}

function invoke(channel: string, payload?: unknown, event = eventFrom()) {
  return handleInvoke(service(), target, channel, event, payload);
}

beforeEach(async () => {
  resetElectronFake();
  handle.mockImplementation(async () => ({ ok: true, value: null }));
  bus = new PushBus();
  window = new BrowserWindow({});
  await window.loadFile(paths.indexHtml);
  target = { window: () => window as never, appUrl: paths.indexUrl };
});

describe('IPC handlers', () => {
  it('registers one handler per contract channel, and nothing else', () => {
    setupIpc(service(), target);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(invokeSchemas).sort());
  });

  it('refuses an unknown channel without asking the service', async () => {
    const result = await invoke('fs:read-file', { path: '/' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(handle).not.toHaveBeenCalled();
  });

  it('refuses a sender that is another window, a subframe, another URL or a gone frame', async () => {
    const other = new BrowserWindow({});
    await other.loadFile(paths.indexHtml);
    const evil = new FakeFrame('https://evil.example/');
    const strangers = [
      eventFrom(other.webContents),
      eventFrom(window.webContents, new FakeFrame(paths.indexUrl, window.webContents.mainFrame)),
      eventFrom(window.webContents, null),
    ];
    window.webContents.mainFrame.url = evil.url;
    strangers.push(eventFrom());
    for (const event of strangers) {
      const result = await invoke('state:get', undefined, event);
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
      if (!result.ok) expect(result.error.message).toMatch(/did not come from the Control Center/);
    }
    expect(handle).not.toHaveBeenCalled();
  });

  it("answers a bad payload with the service's INVALID_PAYLOAD naming the field, running nothing", async () => {
    // The app service's own dispatch, as the real one uses: the payload is parsed there only.
    const remove = vi.fn(async () => null);
    const handlers = { 'vm:remove': remove } as unknown as InvokeHandlers;
    handle.mockImplementation((channel: string, payload: unknown) =>
      dispatch(handlers, channel, payload, async () => undefined),
    );
    const result = await invoke('vm:remove', { uuid: 'a', deleteFiles: 'yes', extra: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    if (!result.ok) expect(result.error.message).toContain('deleteFiles');
    expect(remove).not.toHaveBeenCalled();
  });

  it('passes a good payload through and returns the service answer', async () => {
    handle.mockResolvedValueOnce({ ok: true, value: { uuid: 'vm-1', state: 'running' } });
    const result = await invoke('vm:start', { uuid: 'vm-1' });
    expect(handle).toHaveBeenCalledWith('vm:start', { uuid: 'vm-1' });
    expect(result).toEqual({ ok: true, value: { uuid: 'vm-1', state: 'running' } });
  });

  it('works through the registered ipcMain handler', async () => {
    setupIpc(service(), target);
    const result = await ipcMain.handlers.get('job:start-new-vm')!(
      ...([eventFrom(), { force: true }] as never[]),
    );
    expect(result).toEqual({ ok: true, value: null });
    expect(handle).toHaveBeenCalledWith('job:start-new-vm', { force: true });
  });

  it('answers a service that throws with an error Result, never a rejection', async () => {
    handle.mockRejectedValueOnce(new Error('disk on fire'));
    const result = await invoke('state:get');
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL_ERROR' } });
  });

  it('shows the folder the service named for vm:show-in-folder, and nothing on failure', async () => {
    const folder = join('vms', 'Corporate.pvm');
    handle.mockResolvedValueOnce({ ok: true, value: { path: folder } });
    await invoke('vm:show-in-folder', { uuid: 'vm-1' });
    expect(shell.showItemInFolder).toHaveBeenCalledWith(folder);
    const error = { code: 'VM_NOT_FOUND', message: 'gone', retryable: false } as const;
    handle.mockResolvedValueOnce({ ok: false, error });
    await invoke('vm:show-in-folder', { uuid: 'vm-2' });
    expect(shell.showItemInFolder).toHaveBeenCalledTimes(1);
  });

  it('forwards push messages to our window only, and stops after teardown', () => {
    const bystander = new BrowserWindow({});
    const stop = setupIpc(service(), target);
    const state = { job: { phase: 'idle' } } as unknown as AppState;
    bus.emit('state:changed', state);
    expect(window.webContents.send).toHaveBeenCalledWith('state:changed', state);
    expect(bystander.webContents.send).not.toHaveBeenCalled();
    window.destroyed = true;
    bus.emit('activity:changed', { entries: [] });
    expect(window.webContents.send).toHaveBeenCalledTimes(1);
    window.destroyed = false;
    stop();
    bus.emit('activity:changed', { entries: [] });
    expect(window.webContents.send).toHaveBeenCalledTimes(1);
    expect(ipcMain.handlers.size).toBe(0);
  });
});
