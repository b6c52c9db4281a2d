import { app, type BrowserWindow } from 'electron';
import type { AppService } from '../app/app-service.ts';
import type { ServicePort } from './ipc.ts';
import { focusWindow } from './window.ts';

/** The service while it starts: calls wait for it, push listeners attach once it runs. */
export function whenStarted(
  starting: Promise<AppService>,
): ServicePort & Pick<AppService, 'close'> {
  // A failed start is reported by whoever awaits `starting`; calls then reject (answered as errors).
  const started = starting.catch(() => undefined);
  return {
    handle: async (channel, payload) => (await starting).handle(channel, payload),
    subscribe: (channel, listener) => {
      let off: (() => void) | undefined;
      let cancelled = false;
      void started.then((service) => {
        if (service && !cancelled) off = service.subscribe(channel, listener);
      });
      return () => {
        cancelled = true;
        off?.();
      };
    },
    close: async () => (await started)?.close(),
  };
}

/** Takes the single-instance lock; false when another Provisim runs (this one should quit). */
export function setupSingleInstance(window: () => BrowserWindow | undefined): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  // A second start (Dock, Start menu, a double-click) brings the running window forward instead.
  app.on('second-instance', () => focusWindow(window()));
  return true;
}

/** Closes the service once before the app quits; the quit goes on when it is closed. */
export function setupQuit(
  service: Pick<AppService, 'close'>,
  platform: NodeJS.Platform,
  onCloseError: (error: unknown) => void = () => undefined,
): void {
  let stage: 'running' | 'closing' | 'closed' = 'running';
  // will-quit comes after every window closed, so no IPC can reach a half-closed service.
  app.on('will-quit', (event) => {
    if (stage === 'closed') return;
    event.preventDefault();
    if (stage === 'closing') return;
    stage = 'closing';
    void service
      .close()
      .catch(onCloseError)
      .finally(() => {
        stage = 'closed';
        app.quit();
      });
  });
  // macOS apps stay in the Dock without windows; `activate` opens a new one.
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });
}

/** Shows the window on `activate` (Dock click), creating it when there is none. */
export function setupActivate(
  window: () => BrowserWindow | undefined,
  create: () => BrowserWindow,
): void {
  app.on('activate', () => {
    const current = window();
    if (current && !current.isDestroyed()) focusWindow(current);
    else create();
  });
}
