import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { mergeTests, type Page } from '@playwright/test';
import { makeImage } from '../../electron/archive/make-image.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { ADMIN_TOKEN, KEYS, test as adminTest, type HostedImage } from './support/admin-portal.ts';
import {
  expect,
  expectPhase,
  expectRegistered,
  flow,
  openControlCenter,
  openInvitation,
  screenshot,
  test as controlCenterTest,
} from './support/control-center.ts';

const test = mergeTests(controlCenterTest, adminTest);
const IMAGE_ID = 'operations-vm';

/** Calls the portal's admin API as the admin would; fails the test unless it succeeded. */
async function admin(portal: RunningPortal, method: string, path: string, body: unknown) {
  const response = await fetch(`${portal.url}/api/v1/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
}

/** A second version of the Operations image, hosted beside the first. */
async function secondVersion(workDir: string): Promise<HostedImage> {
  const packed = await makeImage({
    name: 'Operations VM',
    arch: 'arm64',
    sizeBytes: 2 * 1024 * 1024,
    seed: 'second version',
    outDir: join(workDir, 'portal', 'images', 'v2'),
  });
  const checksum = (await readFile(packed.sha256Path, 'utf8')).trim();
  return { url: `/images/v2/${encodeURIComponent(basename(packed.archivePath))}`, checksum };
}

/**
 * Operations gets its golden image, this Mac (an Apple silicon one, whatever runs the test)
 * registers it from the Control Center, and the admin then publishes a second version.
 */
async function registeredThenUpdated(
  page: Page,
  fixtures: { portal: RunningPortal; hostedImage: HostedImage; home: string; workDir: string },
  start: () => Promise<{ url: string }>,
): Promise<string> {
  const { portal, hostedImage, home, workDir } = fixtures;
  await admin(portal, 'POST', '/golden-images', {
    id: IMAGE_ID,
    name: 'Operations VM',
    description: 'The on-call tools and the VPN client.',
    images: { arm64: { enabled: true, ...hostedImage } },
    assignedTo: ['operations'],
  });
  openAgentStore(home).update({
    portalUrl: portal.url,
    licenseKey: KEYS.operations,
    archOverride: 'arm64',
  });
  const host = await start();
  await openControlCenter(page, host.url);
  await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  const first = await expectRegistered(page);
  await flow(page).getByRole('button', { name: 'Done' }).click();
  await expect(flow(page)).toHaveCount(0);

  const next = await secondVersion(workDir);
  await admin(portal, 'PUT', `/golden-images/${IMAGE_ID}/images/arm64`, { enabled: true, ...next });
  await page.getByRole('button', { name: 'New Virtual Machine' }).click();
  await expectPhase(page, 'invited');
  await expect(flow(page).getByRole('heading', { level: 2 })).toHaveText(
    `Update available for “${first}”`,
  );
  return first;
}

test('an update offered for the corporate VM replaces it on Replace', async ({
  page,
  webHosts,
  portal,
  hostedImage,
  home,
  workDir,
}) => {
  test.slow();
  const fixtures = { portal, hostedImage, home, workDir };
  const first = await registeredThenUpdated(page, fixtures, () => webHosts.start());
  await expect(flow(page).getByRole('button', { name: 'Keep both' })).toBeEnabled();
  await screenshot(page, 'update-offer');

  await flow(page).getByRole('button', { name: 'Replace' }).click();
  await expectPhase(page, 'updated');
  // The new version takes the previous one's name back: one VM, not "Operations VM (2)".
  await expect(flow(page).getByRole('heading', { level: 2 })).toHaveText(
    `${first} is updated to the new version`,
  );
  await expect(page.locator('.vm-table tbody tr')).toHaveCount(1);
  await expect(page.locator('tr[aria-current="true"]')).toContainText(first);
  await screenshot(page, 'update-replaced');
});

test('where policy allows one corporate VM that cannot be removed, Replace keeps both', async ({
  page,
  webHosts,
  portal,
  hostedImage,
  home,
  workDir,
}) => {
  test.slow();
  const fixtures = { portal, hostedImage, home, workDir };
  await admin(portal, 'POST', '/policies', {
    id: 'operations-rules',
    appliesTo: ['operations'],
    oneCorporateVmPerUser: true,
    preventCorporateVmRemoval: true,
  });
  const first = await registeredThenUpdated(page, fixtures, () => webHosts.start());
  const keepBoth = flow(page).getByRole('button', { name: 'Keep both' });
  await expect(keepBoth).toBeDisabled();
  await expect(keepBoth).toHaveAccessibleDescription(/one corporate VM per user/);
  await expect(flow(page).getByText(/^Replace keeps the previous VM/)).toBeVisible();
  await screenshot(page, 'update-offer-restricted');

  await flow(page).getByRole('button', { name: 'Replace' }).click();
  await expectPhase(page, 'updated');
  await expect(flow(page).getByRole('heading', { level: 2 })).toContainText(
    ` is ready beside ${first}`,
  );
  await expect(flow(page).getByText(/^Both VMs are kept/)).toBeVisible();
  await expect(page.getByRole('button', { name: first, exact: true })).toHaveCount(1);
  await screenshot(page, 'update-kept-both');
});
