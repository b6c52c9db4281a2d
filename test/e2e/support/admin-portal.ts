import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { makeImage } from '../../../electron/archive/make-image.ts';
import { startPortal, type RunningPortal } from '../../../electron/portal/server.ts';
import { PROJECT_ROOT } from './web-host.ts';

export { expect };

/** The token the admin signs in with. */
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

/** The organisation's keys: the primary one, and the sublicense key of the empty group. */
export const KEYS = { primary: 'ACME-PRIMARY-0001', operations: 'ACME-OPS-0007' } as const;

/** An image this portal hosts, as the admin pastes it into the golden image form. */
export interface HostedImage {
  /** Like `/images/Operations-VM.pvmp`. */
  readonly url: string;
  /** The contents of its `.sha256.txt`, as `shasum -a 256` printed it. */
  readonly checksum: string;
}

/** What every admin portal spec gets: a persisted portal with an empty group and a hosted image. */
export interface AdminPortalFixtures {
  readonly workDir: string;
  readonly portal: RunningPortal;
  readonly hostedImage: HostedImage;
}

/** Playwright's `test` with a fresh portal (own data folder and admin token) per test. */
export const test = base.extend<AdminPortalFixtures>({
  // eslint-disable-next-line no-empty-pattern
  workDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'provisim-admin-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  portal: async ({ workDir }, use) => {
    const portal = await startPortal({
      dataDir: join(workDir, 'portal'),
      persist: true,
      adminToken: ADMIN_TOKEN,
      org: {
        checkInIntervalSec: 900,
        licenseKeys: [
          { key: KEYS.primary, kind: 'primary', state: 'active' },
          { key: KEYS.operations, kind: 'sublicense', state: 'active' },
        ],
        userGroups: [{ id: 'operations', name: 'Operations', licenseKey: KEYS.operations }],
        goldenImages: [],
        policies: [],
        configurationProfiles: [],
      },
    });
    await use(portal);
    await portal.close();
  },
  hostedImage: async ({ workDir, portal: _portal }, use) => {
    // The portal made its images folder at start; a file there is served under /images/.
    const packed = await makeImage({
      name: 'Operations VM',
      arch: 'arm64',
      sizeBytes: 4 * 1024 * 1024,
      outDir: join(workDir, 'portal', 'images'),
    });
    const checksum = (await readFile(packed.sha256Path, 'utf8')).trim();
    await use({ url: `/images/${encodeURIComponent(basename(packed.archivePath))}`, checksum });
  },
});

/** Opens `/admin` and signs in with the admin token; waits for the first page. */
export async function signIn(page: Page, portalUrl: string): Promise<void> {
  await page.goto(`${portalUrl}/admin`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Golden Images' })).toBeVisible();
}

/** Opens an admin page from the sidebar and waits for its title. */
export async function openAdminPage(page: Page, title: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: title })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
}

/** Runs `provisim run --accept --json` as a Mac of `licenseKey`; resolves with its exit code. */
export async function runAgent(portalUrl: string, licenseKey: string, home: string) {
  const args = ['run', '--portal', portalUrl, '--license', licenseKey, '--arch', 'arm64'];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PROVISIM_HOME;
  const child = spawn(
    process.execPath,
    [
      join(PROJECT_ROOT, 'electron', 'cli', 'provisim.js'),
      ...args,
      '--home',
      home,
      '--accept',
      '--json',
    ],
    { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}
