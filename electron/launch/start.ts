import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESKTOP_MAIN, buildDesktop } from '../main/build.ts';
import {
  NO_ELECTRON_LINE,
  findElectronBinary,
  isStale,
  mtimeOf,
  newestMtime,
} from './launch-checks.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Builds the renderer and the main/preload bundles when they are missing or older than their sources. */
export async function buildIfNeeded(root: string): Promise<void> {
  const shared = join(root, 'shared');
  const rendererIndex = join(root, 'dist', 'renderer', 'index.html');
  if (isStale(await mtimeOf(rendererIndex), await newestMtime([join(root, 'renderer'), shared]))) {
    // Loaded only when needed: vite is a development tool and slow to import.
    const { build } = await import('vite');
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  }
  const bundles = [join(root, DESKTOP_MAIN), join(root, 'dist', 'preload', 'preload.cjs')];
  const oldest = Math.min(...(await Promise.all(bundles.map(mtimeOf))).map((t) => t ?? -1));
  if (
    isStale(oldest < 0 ? undefined : oldest, await newestMtime([join(root, 'electron'), shared]))
  ) {
    await buildDesktop({ root });
  }
}

/** Runs Electron on the app folder; resolves with its exit code (signals are passed on). */
export function runElectron(
  binary: string,
  root: string,
  args: readonly string[],
): Promise<number> {
  const env = { ...process.env };
  // Set by some shells and tools; with it Electron would act as plain Node and ignore the app.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [root, ...args], { stdio: 'inherit', env, windowsHide: false });
  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const handlers = SIGNALS.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** `npm start`: build what is stale, then Electron, or browser mode where Electron is missing. */
export async function start(args: readonly string[]): Promise<number | undefined> {
  await buildIfNeeded(ROOT);
  const require = createRequire(import.meta.url);
  const binary = findElectronBinary(() => require('electron'), existsSync);
  if (binary.found) return runElectron(binary.path, ROOT, args);
  console.log(NO_ELECTRON_LINE);
  // The web-host script starts browser mode on import and runs until Ctrl-C; it reads its own
  // flags (--home, --port, --static) from process.argv, so `npm start -- --port 8080` works too.
  await import('../web-host/start-web.ts');
  return undefined;
}
