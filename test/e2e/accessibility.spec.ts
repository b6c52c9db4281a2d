import { join } from 'node:path';
import { mergeTests } from '@playwright/test';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { DEMO_LICENSE_KEYS } from '../../electron/portal/demo-org.ts';
import {
  ADMIN_TOKEN,
  KEYS,
  test as adminTest,
  openAdminPage,
  runAgent,
  signIn,
} from './support/admin-portal.ts';
import {
  downloadProgress,
  expect,
  expectPhase,
  expectRegistered,
  flow,
  openControlCenter,
  openInvitation,
  openSection,
  PART_DONE,
  screenshot,
  test as controlCenterTest,
} from './support/control-center.ts';

// The states the other specs do not reach; `screenshot` checks each with axe-core, light and dark.
const test = mergeTests(controlCenterTest, adminTest);

// A small VM made on this Mac: the user's own, so it may be removed.
const OWN_VM = { os: 'fedora-40', name: 'Box', cpus: 1, memoryMb: 1024, diskSizeBytes: 2 ** 20 };

test('Control Center: the empty list, the VM list, a removal, Activity and Agent', async ({
  page,
  webHosts,
}) => {
  // Five states, each checked by axe-core in light and in dark.
  test.slow();
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await expect(page.getByRole('table', { name: 'Virtual machines' })).toHaveCount(0);
  await screenshot(page, 'vms-empty');

  await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  await expectRegistered(page);
  await flow(page).getByRole('button', { name: 'Done' }).click();
  await expect(flow(page)).toHaveCount(0);
  await host.invoke('assistant:create-vm', OWN_VM);
  await page.getByRole('button', { name: OWN_VM.name, exact: true }).click();
  await expect(page.locator('tr[aria-current="true"]')).toContainText(OWN_VM.name);
  await screenshot(page, 'vm-list');

  await page.getByRole('button', { name: `Remove ${OWN_VM.name}` }).click();
  const question = page
    .getByRole('dialog')
    .or(page.getByRole('group', { name: `Remove ${OWN_VM.name}` }));
  await expect(question).toBeVisible();
  await screenshot(page, 'vm-remove-confirm');
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);

  // A history longer than the window, as after a few days of use: the section scrolls.
  for (let i = 2; i <= 9; i += 1) {
    await host.invoke('assistant:create-vm', { ...OWN_VM, name: `${OWN_VM.name} ${i}` });
  }
  await openSection(page, 'Activity');
  await expect(page.getByRole('row', { name: /VM registered/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /VM created from scratch/ })).toHaveCount(9);
  await screenshot(page, 'activity');

  await openSection(page, 'Agent');
  await screenshot(page, 'agent');
});

test('Settings: a malformed key beside its field, and a key the portal says has expired', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await openSection(page, 'Settings');
  const key = page.getByLabel('License key');
  await key.fill('acme bad');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(key).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'settings-invalid-key', [page.getByLabel('VM folder')]);

  await key.fill(DEMO_LICENSE_KEYS.expired);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(ERROR_SENTENCES.LICENSE_EXPIRED)).toBeVisible();
  await screenshot(page, 'settings-expired-key', [page.getByLabel('VM folder')]);
});

test('Cancel of a paused download asks first, then ends on the cancelled step', async ({
  page,
  webHosts,
}) => {
  // 8 MiB at 512 KiB/s: long enough to pause on purpose; paused, nothing moves during the checks.
  const host = await webHosts.start({ demoSize: '8MiB', bandwidth: 512 * 1024 });
  await openControlCenter(page, host.url);
  await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  await expect(downloadProgress(page)).toHaveAttribute('aria-valuetext', PART_DONE);
  await flow(page).getByRole('button', { name: 'Pause' }).click();
  await expectPhase(page, 'paused');
  await flow(page).getByRole('button', { name: 'Cancel' }).click();
  const question = page.getByRole('dialog');
  await expect(question).toBeVisible();
  await screenshot(page, 'cancel-confirm');
  await question.getByRole('button', { name: 'Cancel Download' }).click();
  await expectPhase(page, 'cancelled');
  await screenshot(page, 'cancelled');
});

test('the address without its token, and a token the host refuses', async ({ page, webHosts }) => {
  const host = await webHosts.start();
  await page.goto(host.origin);
  await expect(page.locator('[data-state="token-missing"]')).toBeVisible();
  await screenshot(page, 'token-missing');

  await page.goto(`${host.origin}/?token=${host.token.slice(1)}x`);
  await expect(page.locator('[data-state="token-refused"]')).toBeVisible();
  await screenshot(page, 'token-refused');
});

test('admin: a refused sign-in and a refused save', async ({ page, portal }) => {
  await page.goto(`${portal.url}/admin`);
  await page.getByLabel('Admin token').fill('not-the-admin-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await screenshot(page, 'admin-sign-in-refused');

  await signIn(page, portal.url);
  await page.getByRole('button', { name: 'Create Golden Image' }).click();
  const form = page.getByRole('form', { name: 'Create Golden Image' });
  await form.getByLabel('Name', { exact: true }).fill('ACME Windows 11 for Support');
  await form.getByLabel('Enable for Apple silicon').check();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert').first()).toBeVisible();
  // Tall enough for the whole form, as in the golden image form's own picture.
  await page.setViewportSize({ width: 1200, height: 1150 });
  await screenshot(page, 'admin-golden-image-refused');
});

test('admin: every page with a golden image and a Mac that registered it', async ({
  page,
  portal,
  hostedImage,
  workDir,
}) => {
  // Eight states, each checked by axe-core in light and in dark.
  test.slow();
  const created = await fetch(`${portal.url}/api/v1/admin/golden-images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({
      name: 'ACME Windows 11 for Operations',
      description: 'The tools of the operations team.',
      images: { arm64: { enabled: true, url: hostedImage.url, checksum: hostedImage.checksum } },
      assignedTo: ['operations'],
    }),
  });
  expect(created.status, await created.clone().text()).toBeLessThan(300);
  const agent = await runAgent(portal.url, KEYS.operations, join(workDir, 'mac'));
  expect(agent.code, agent.output).toBe(0);

  await signIn(page, portal.url);
  const main = page.locator('main');
  // The Mac's hostname is this machine's: masked, so that the pictures do not change with it.
  const fleetHostname = main.locator('tr[data-phase] th');
  const eventDevice = main.locator('td:nth-child(2)');
  const pages = [
    ['User Groups', 'admin-user-groups', main.getByText('Operations').first(), []],
    ['License Keys', 'admin-license-keys', main.getByText(KEYS.operations).first(), []],
    ['Policies', 'admin-policies', main.getByText('No policies yet.'), []],
    [
      'Configuration Profiles',
      'admin-profiles',
      main.getByText('No configuration profiles yet.'),
      [],
    ],
    [
      'Virtual Machines',
      'admin-fleet-one-mac',
      main.locator('tr[data-phase="registered"]'),
      [fleetHostname],
    ],
    ['Rollout', 'admin-rollout', main.locator('tr[data-stage="registered"] .count'), []],
    ['Events', 'admin-events', main.getByRole('table', { name: 'Events' }), [eventDevice]],
    ['Faults', 'admin-faults', main.getByText('No fault is active'), []],
  ] as const;
  for (const [title, state, loaded, mask] of pages) {
    await openAdminPage(page, title);
    await expect(loaded).toBeVisible();
    await screenshot(page, state, [...mask]);
  }
});
