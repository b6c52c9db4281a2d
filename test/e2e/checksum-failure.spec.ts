import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { prepareDemoOrg } from '../../electron/portal/demo-org.ts';
import type { OrgConfig } from '../../electron/portal/org-config.ts';
import { startPortal, type RunningPortal } from '../../electron/portal/server.ts';
import {
  expect,
  expectPhase,
  flow,
  openControlCenter,
  openInvitation,
  openSection,
  screenshot,
  test,
} from './support/control-center.ts';

// An administrator's slip: the policy publishes a checksum that is not the image's.
function withWrongChecksums(org: OrgConfig): OrgConfig {
  const wrong = 'deadbeef'.repeat(8);
  return {
    ...org,
    goldenImages: org.goldenImages.map((golden) => ({
      ...golden,
      images: Object.fromEntries(
        Object.entries(golden.images).map(([arch, image]) => [arch, { ...image, checksum: wrong }]),
      ),
    })),
  };
}

let dataDir: string;
let portal: RunningPortal;

test.beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'provisim-e2e-portal-'));
  const demo = await prepareDemoOrg({ dataDir, sizeBytes: 1024 * 1024 });
  portal = await startPortal({ dataDir, org: withWrongChecksums(demo.org), logger: false });
});

test.afterEach(async () => {
  await portal.close();
  await rm(dataDir, { recursive: true, force: true });
});

test("an image that does not match the policy's checksum fails with the sentence for it", async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);

  // Point the agent at the organisation's portal; saving activates it with a check-in.
  await openSection(page, 'Settings');
  await page.getByRole('radio', { name: "My organisation's portal" }).check();
  await page.getByLabel('Portal URL').fill(portal.url);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await openSection(page, 'Virtual Machines');
  await expect(page.locator('[data-notice="embedded-portal"]')).toHaveCount(0);

  await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  await expectPhase(page, 'failed');
  await expect(flow(page).getByRole('heading')).toHaveText('The VM could not be set up');
  const sentence = flow(page).locator('[data-error-code="CHECKSUM_MISMATCH"]');
  await expect(sentence).toHaveText(ERROR_SENTENCES.CHECKSUM_MISMATCH);
  await expect(flow(page).getByRole('button', { name: 'Try again' })).toBeVisible();
  await screenshot(page, 'checksum-failed');

  // The mismatching download was discarded: closing leaves nothing to resume.
  await flow(page).getByRole('button', { name: 'Close' }).click();
  await expect(flow(page)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Unfinished download found' })).toHaveCount(0);
  await expect(page.getByText('No virtual machines yet.')).toBeVisible();
});
