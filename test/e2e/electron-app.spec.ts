import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, expect, test } from '@playwright/test';
import { findElectronBinary } from '../../electron/launch/launch-checks.ts';
import { buildIfNeeded } from '../../electron/launch/start.ts';
import { expectRegistered, flow, openInvitation } from './support/control-center.ts';
import { PROJECT_ROOT } from './support/web-host.ts';

const binary = findElectronBinary(() => createRequire(import.meta.url)('electron'), existsSync);

test.skip(
  !binary.found,
  binary.found ? '' : `No Electron binary here (${binary.reason}); browser mode covers the flows.`,
);

test('the desktop app takes the invitation through to a registered, selected VM', async () => {
  // The first start makes the embedded portal's 64 MiB demo images.
  test.setTimeout(180_000);
  if (!binary.found) return;
  await buildIfNeeded(PROJECT_ROOT);
  const scratch = await mkdtemp(join(tmpdir(), 'provisim-e2e-electron-'));
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete env.ELECTRON_RUN_AS_NODE;
  env.PROVISIM_HOME = join(scratch, 'home');
  const app = await _electron.launch({
    executablePath: binary.path,
    // Its own profile, so the single-instance lock and storage are this test's alone.
    args: [PROJECT_ROOT, `--user-data-dir=${join(scratch, 'user-data')}`, '--no-sandbox'],
    env,
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('button', { name: 'New Virtual Machine' })).toBeEnabled();
    await openInvitation(window);
    await flow(window).getByRole('button', { name: 'Download', exact: true }).click();
    await expectRegistered(window);
  } finally {
    await app.close();
    await rm(scratch, { recursive: true, force: true });
  }
});
