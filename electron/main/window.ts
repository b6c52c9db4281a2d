import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, type BrowserWindowConstructorOptions, type Session } from 'electron';
import { setupNavigationGuards } from './navigation.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts';

/** The built files the window loads, relative to the app folder (`app.getAppPath()`). */
export interface AppPaths {
  readonly preload: string;
  readonly indexHtml: string;
  /** The file: URL of `indexHtml`: the only page allowed in the window and to send IPC. */
  readonly indexUrl: string;
}

/** Where the build put the preload and the renderer. */
export function appPaths(appRoot: string): AppPaths {
  const indexHtml = join(appRoot, 'dist', 'renderer', 'index.html');
  return {
    preload: join(appRoot, 'dist', 'preload', 'preload.cjs'),
    indexHtml,
    indexUrl: pathToFileURL(indexHtml).href,
  };
}

/** The Control Center window's options: isolated, sandboxed, no Node, web security on. */
export function windowOptions(paths: AppPaths): BrowserWindowConstructorOptions {
  return {
    width: 1120,
    height: 760,
    minWidth: 760,
    minHeight: 520,
    title: 'Provisim Control Center',
    // Shown once painted, so the window never flashes white before the theme applies.
    show: false,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Adds the CSP header to every response the window's session receives. */
export function setupContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
}

/** Creates the Control Center window, guarded, and loads the built renderer. */
export function createMainWindow(paths: AppPaths): BrowserWindow {
  const window = new BrowserWindow(windowOptions(paths));
  // Guards go on before the first load, so even the first page cannot navigate or open windows.
  setupContentSecurityPolicy(window.webContents.session);
  setupNavigationGuards(window.webContents, paths.indexUrl);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(paths.indexHtml).catch(() => undefined);
  return window;
}

/** Brings the window to the front, restoring it when minimised. */
export function focusWindow(window: BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
