import { join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { isProvisimError } from '../../shared/provisim-error.ts';
import { createAppService } from '../app/app-service.ts';
import { detectArch } from '../app/app-settings.ts';
import { setupIpc } from './ipc.ts';
import { setupActivate, setupQuit, setupSingleInstance, whenStarted } from './lifecycle.ts';
import { setupMenu } from './menu.ts';
import { setupProgress } from './progress.ts';
import { setupStores } from './stores.ts';
import { appPaths, createMainWindow } from './window.ts';

/** The agent home: `$PROVISIM_HOME` (as for the CLI; tests use it), else a folder in userData. */
export function desktopHome(userData: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.PROVISIM_HOME?.trim() || join(userData, 'agent');
}

/** A start-up failure as one sentence for the error box. */
export function startupMessage(error: unknown): string {
  // AGENT_BUSY is the usual one: a headless `provisim agent` holds this home's lock.
  return isProvisimError(error) ? error.message : ERROR_SENTENCES.INTERNAL_ERROR;
}

/** Starts the desktop app: lock, window at once, the service behind IPC, menu, progress. */
export async function startDesktopApp(): Promise<void> {
  let window: BrowserWindow | undefined;
  const currentWindow = () => window;
  if (!setupSingleInstance(currentWindow)) return app.quit();
  await app.whenReady();
  setupStores();
  // The first start prepares the demo portal's images: the window shows meanwhile, calls wait.
  const starting = createAppService({
    home: desktopHome(app.getPath('userData')),
    detectedArch: detectArch({
      platformArch: process.arch,
      runningUnderARM64Translation: app.runningUnderARM64Translation,
    }),
  });
  const service = whenStarted(starting);
  const paths = appPaths(app.getAppPath());
  const openWindow = () => {
    window = createMainWindow(paths);
    window.on('closed', () => (window = undefined));
    return window;
  };
  setupIpc(service, { window: currentWindow, appUrl: paths.indexUrl });
  setupMenu({ service, window: currentWindow, platform: process.platform });
  setupProgress(service, currentWindow);
  setupQuit(service, process.platform, (error) =>
    console.error('Closing the agent failed:', error),
  );
  setupActivate(currentWindow, openWindow);
  openWindow();
  try {
    await starting;
  } catch (error) {
    dialog.showErrorBox('Provisim could not start', startupMessage(error));
    app.quit();
  }
}

// The bundle's entry point: Electron runs this file, so starting here is the point of it.
void startDesktopApp().catch((error: unknown) => {
  console.error(error);
  app.exit(1);
});
