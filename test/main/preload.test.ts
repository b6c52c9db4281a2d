import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppState, ContractClient } from '../../shared/ipc-contract.ts';
import { contextBridge, ipcRenderer } from './electron-fake.ts';

vi.mock('electron', () => import('./electron-fake.ts'));

let api: ContractClient;

beforeAll(async () => {
  await import('../../electron/preload/preload.ts');
  expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [key, exposed] = contextBridge.exposeInMainWorld.mock.calls[0]!;
  expect(key).toBe('provisim');
  api = exposed as ContractClient;
});

beforeEach(() => {
  ipcRenderer.invoke.mockReset();
  ipcRenderer.removeAllListeners();
});

describe('the preload API', () => {
  it('invokes a contract channel over ipcRenderer and returns its Result', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { uuid: 'vm-1' } });
    await expect(api.invoke('vm:start', { uuid: 'vm-1' })).resolves.toEqual({
      ok: true,
      value: { uuid: 'vm-1' },
    });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('vm:start', { uuid: 'vm-1' });
  });

  it('refuses an unknown channel without sending anything', async () => {
    const result = await api.invoke('fs:read-file' as 'state:get');
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('delivers push payloads without the Electron event, until unsubscribed', () => {
    const listener = vi.fn();
    const unsubscribe = api.subscribe('state:changed', listener);
    const state = { job: { phase: 'idle' } } as unknown as AppState;
    ipcRenderer.emit('state:changed', { sender: 'secret' }, state);
    expect(listener).toHaveBeenCalledWith(state);
    expect(listener.mock.calls[0]).toHaveLength(1);
    unsubscribe();
    ipcRenderer.emit('state:changed', {}, state);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(ipcRenderer.listenerCount('state:changed')).toBe(0);
  });

  it('refuses to listen on a channel that is not a push channel', () => {
    expect(() => api.subscribe('vm:remove' as 'state:changed', vi.fn())).toThrow(TypeError);
    expect(ipcRenderer.eventNames()).toEqual([]);
  });
});
