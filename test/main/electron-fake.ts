// The one fake of the `electron` module for main-process and preload tests:
// `vi.mock('electron', () => import('./electron-fake.ts'))`, then drive the fakes from the test.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';

type Handler = (...args: never[]) => unknown;

/** A web frame: the main frame of a FakeWebContents unless a test makes another. */
export class FakeFrame {
  constructor(
    public url: string,
    readonly parent: FakeFrame | null = null,
  ) {}
}

/** The session of a window: CSP listener and permission handlers as they were set. */
export class FakeSession {
  headersListener: Handler | undefined;
  permissionRequest: Handler | undefined;
  permissionCheck: Handler | undefined;
  readonly webRequest = {
    onHeadersReceived: (listener: Handler) => (this.headersListener = listener),
  };
  setPermissionRequestHandler(handler: Handler): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: Handler): void {
    this.permissionCheck = handler;
  }
}

/** The web contents of a window, with its open handler and every message sent to it. */
export class FakeWebContents extends EventEmitter {
  readonly session = new FakeSession();
  readonly mainFrame = new FakeFrame('about:blank');
  readonly send = vi.fn();
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

/** A BrowserWindow that records its options, loads, progress bar and focus calls. */
export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadFile = vi.fn(async (path: string) => {
    this.webContents.mainFrame.url = pathToFileURL(path).href;
  });
  readonly setProgressBar = vi.fn();
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn(() => (this.minimized = false));
  minimized = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

/** The app: events plus the calls main.ts makes. */
export const app = Object.assign(new EventEmitter(), {
  runningUnderARM64Translation: false,
  requestSingleInstanceLock: vi.fn(() => true),
  whenReady: vi.fn(async () => undefined),
  getPath: vi.fn((name: string) => `/fake-${name}`),
  getAppPath: vi.fn(() => '/fake-app'),
  getVersion: vi.fn(() => '0.0.0-test'),
  quit: vi.fn(),
  exit: vi.fn(),
});

/** ipcMain: the handlers registered per channel. */
export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle: vi.fn((channel: string, handler: Handler) => void ipcMain.handlers.set(channel, handler)),
  removeHandler: vi.fn((channel: string) => void ipcMain.handlers.delete(channel)),
  on: vi.fn(),
};

/** Menu: the template given to buildFromTemplate comes back as the menu. */
export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn(),
};

/** Notification: every one made, and whether the platform supports them. */
export class Notification extends EventEmitter {
  static readonly instances: Notification[] = [];
  static readonly isSupported = vi.fn(() => true);
  readonly show = vi.fn();
  constructor(readonly options: { title: string; body: string }) {
    super();
    Notification.instances.push(this);
  }
}

/** shell, dialog: recorded calls. */
export const shell = { openExternal: vi.fn(async () => undefined), showItemInFolder: vi.fn() };
/** The error box main shows when the agent cannot start. */
export const dialog = { showErrorBox: vi.fn() };

/** The preload side: what was exposed, and an ipcRenderer with real listeners. */
export const contextBridge = { exposeInMainWorld: vi.fn() };
/** ipcRenderer with a working on/removeListener and a recorded invoke. */
export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: null })),
});

/** Forgets every window, notification, handler, listener and recorded call. */
export function resetElectronFake(): void {
  BrowserWindow.instances.length = 0;
  Notification.instances.length = 0;
  ipcMain.handlers.clear();
  app.removeAllListeners();
  ipcRenderer.removeAllListeners();
  app.runningUnderARM64Translation = false;
  // Back to each fake's own implementation, so a test's mockReturnValue never leaks into the next.
  vi.resetAllMocks();
}
