import { describe, expect, it } from 'vitest';
import {
  TOKEN_STORAGE_KEY,
  takePageToken,
  type TokenPlace,
} from '../../renderer/backend/page-token.ts';

/** A tab at `href`: its address, its history entries and its sessionStorage. */
function aTab(href: string, stored: Record<string, string> = {}, storageWorks = true) {
  const storage = new Map(Object.entries(stored));
  const tab = {
    location: { href },
    replaced: [] as string[],
    storage,
    history: {
      state: { from: 'router' },
      replaceState(data: unknown, _unused: string, url: string) {
        expect(data).toEqual({ from: 'router' });
        tab.replaced.push(url);
        tab.location.href = new URL(url, tab.location.href).href;
      },
    },
    sessionStorage: {
      getItem: (key: string) => {
        if (!storageWorks) throw new Error('SecurityError');
        return storage.get(key) ?? null;
      },
      setItem: (key: string, value: string) => {
        if (!storageWorks) throw new Error('QuotaExceededError');
        storage.set(key, value);
      },
    },
  };
  return tab satisfies TokenPlace;
}

describe('the page access token', () => {
  it('takes the token from the address, keeps it for the tab and removes it from the address', () => {
    const tab = aTab('http://127.0.0.1:5173/?token=abc_DEF-123#vms');
    expect(takePageToken(tab)).toBe('abc_DEF-123');
    expect(tab.location.href).toBe('http://127.0.0.1:5173/#vms');
    expect(tab.replaced).toEqual(['/#vms']);
    expect(tab.storage.get(TOKEN_STORAGE_KEY)).toBe('abc_DEF-123');
  });

  it('keeps the other query parameters when it removes the token', () => {
    const tab = aTab('http://127.0.0.1:5173/settings?a=1&token=t0k&b=2');
    expect(takePageToken(tab)).toBe('t0k');
    expect(tab.location.href).toBe('http://127.0.0.1:5173/settings?a=1&b=2');
  });

  it('reads the kept token after a reload, without touching the address', () => {
    const tab = aTab('http://127.0.0.1:5173/', { [TOKEN_STORAGE_KEY]: 'kept' });
    expect(takePageToken(tab)).toBe('kept');
    expect(tab.replaced).toEqual([]);
  });

  it('prefers a token in the address to a kept one from an earlier start', () => {
    const tab = aTab('http://127.0.0.1:5173/?token=new', { [TOKEN_STORAGE_KEY]: 'old' });
    expect(takePageToken(tab)).toBe('new');
    expect(tab.storage.get(TOKEN_STORAGE_KEY)).toBe('new');
  });

  it('has no token on the bare address of a new tab, nor from an empty one in the address', () => {
    expect(takePageToken(aTab('http://127.0.0.1:5173/'))).toBeUndefined();
    const emptied = aTab('http://127.0.0.1:5173/?token=');
    expect(takePageToken(emptied)).toBeUndefined();
    expect(emptied.location.href).toBe('http://127.0.0.1:5173/');
  });

  it('still uses the token of the address when the tab refuses storage', () => {
    const tab = aTab('http://127.0.0.1:5173/?token=t0k', {}, false);
    expect(takePageToken(tab)).toBe('t0k');
    expect(takePageToken(aTab('http://127.0.0.1:5173/', {}, false))).toBeUndefined();
  });
});
