import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts';
import {
  appPaths,
  createMainWindow,
  focusWindow,
  windowOptions,
} from '../../electron/main/window.ts';
import { BrowserWindow, resetElectronFake, shell } from './electron-fake.ts';

vi.mock('electron', () => import('./electron-fake.ts'));

const paths = appPaths(join('provisim-app'));

function openWindow(): BrowserWindow {
  const window = createMainWindow(paths) as unknown as BrowserWindow;
  expect(BrowserWindow.instances).toEqual([window]);
  return window;
}

function navigate(window: BrowserWindow, event: string, url: string): boolean {
  const preventDefault = vi.fn();
  window.webContents.emit(event, { url, preventDefault });
  return preventDefault.mock.calls.length > 0;
}

beforeEach(resetElectronFake);

describe('the Control Center window', () => {
  it('is isolated, sandboxed, without Node, with web security and our preload', () => {
    const { webPreferences } = windowOptions(paths);
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: join('provisim-app', 'dist', 'preload', 'preload.cjs'),
    });
    expect(openWindow().options).toEqual(windowOptions(paths));
  });

  it('loads the built renderer from dist/renderer/index.html', () => {
    const window = openWindow();
    expect(window.loadFile).toHaveBeenCalledWith(
      join('provisim-app', 'dist', 'renderer', 'index.html'),
    );
    expect(paths.indexUrl).toBe(pathToFileURL(paths.indexHtml).href);
  });

  it('denies every new window, handing only http(s) links to the system browser', () => {
    const open = openWindow().webContents.openHandler!;
    expect(open({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/help');
  });

  it('blocks navigation and redirects to anything but its own page', () => {
    const window = openWindow();
    expect(navigate(window, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate(window, 'will-navigate', pathToFileURL(join('elsewhere', 'x.html')).href)).toBe(
      true,
    );
    expect(navigate(window, 'will-navigate', `${paths.indexUrl}?next=1`)).toBe(true);
    expect(navigate(window, 'will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(navigate(window, 'will-navigate', paths.indexUrl)).toBe(false);
    expect(navigate(window, 'will-navigate', `${paths.indexUrl}#/settings`)).toBe(false);
  });

  it('refuses webviews and every permission request', () => {
    const window = openWindow();
    const preventDefault = vi.fn();
    window.webContents.emit('will-attach-webview', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    const callback = vi.fn();
    window.webContents.session.permissionRequest!(...([{}, 'media', callback] as never[]));
    expect(callback).toHaveBeenCalledWith(false);
    expect(window.webContents.session.permissionCheck!()).toBe(false);
  });

  it('adds a CSP header starting from default-src none to every response, keeping the others', () => {
    const listener = openWindow().webContents.session.headersListener!;
    const callback = vi.fn();
    listener(...([{ responseHeaders: { 'X-Kept': ['yes'] } }, callback] as never[]));
    const { responseHeaders } = callback.mock.calls[0]![0];
    expect(responseHeaders['X-Kept']).toEqual(['yes']);
    expect(responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'; script-src 'self';/);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('shows itself once painted, and comes forward restored when focused', () => {
    const window = openWindow();
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledTimes(1);
    window.minimized = true;
    focusWindow(window as never);
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });
});
