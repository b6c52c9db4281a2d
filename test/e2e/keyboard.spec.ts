import { mergeTests } from '@playwright/test';
import { ADMIN_TOKEN, test as adminTest } from './support/admin-portal.ts';
import {
  downloadProgress,
  expect,
  expectPhase,
  expectRegistered,
  flow,
  openControlCenter,
  PART_DONE,
  test as controlCenterTest,
} from './support/control-center.ts';
import {
  describeStop,
  focusedStop,
  focusLog,
  tabStops,
  tabTo,
  trackFocus,
} from './support/focus.ts';

const test = mergeTests(controlCenterTest, adminTest);

// 8 MiB at 512 KiB/s: sixteen seconds of download, time enough to pause and resume by keyboard.
const SLOW = { demoSize: '8MiB', bandwidth: 512 * 1024 };

test('Tab from the start reaches a skip link, then New Virtual Machine and the sections in order', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  const stops = (await tabStops(page, 6)).map(describeStop);
  expect(stops[0]).toMatch(/^link "Skip to /);
  expect(stops.slice(1)).toEqual([
    'button "New Virtual Machine"',
    'button "Virtual Machines"',
    'button "Activity"',
    'button "Agent"',
    'button "Settings"',
  ]);

  // The skip link leads into the section, and the next Tab stays there.
  await page.reload();
  await expect(page.getByRole('button', { name: 'New Virtual Machine' })).toBeEnabled();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('main:focus, main :focus')).toHaveCount(1);
  await page.keyboard.press('Tab');
  await expect(page.locator('main :focus')).toHaveCount(1);
});

test('the New VM flow goes from the invitation to a registered VM with the keyboard alone', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await tabTo(page, page.getByRole('button', { name: 'New Virtual Machine' }));
  await page.keyboard.press('Enter');
  await expectPhase(page, 'invited');
  // The step takes the focus, so the next Tab is inside it, not back at the top of the window.
  await expect(flow(page).locator(':focus')).toHaveCount(1);

  await tabTo(page, flow(page).getByRole('button', { name: 'Download', exact: true }));
  await page.keyboard.press('Space');
  await expectRegistered(page);
  await expect(flow(page).locator(':focus')).toHaveCount(1);
  await tabTo(page, flow(page).getByRole('button', { name: 'Done' }));
  await page.keyboard.press('Enter');
  await expect(flow(page)).toHaveCount(0);
});

test('Done after a registered VM leaves the focus on the page, not on nothing', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await tabTo(page, page.getByRole('button', { name: 'New Virtual Machine' }));
  await page.keyboard.press('Enter');
  await tabTo(page, flow(page).getByRole('button', { name: 'Download', exact: true }));
  await page.keyboard.press('Enter');
  await expectRegistered(page);
  await tabTo(page, flow(page).getByRole('button', { name: 'Done' }));
  await page.keyboard.press('Enter');
  await expect(flow(page)).toHaveCount(0);
  expect(describeStop(await focusedStop(page))).not.toBe('body');
});

test('Pause and then Resume by keyboard keep the focus on the button that was pressed', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start(SLOW);
  await openControlCenter(page, host.url);
  await tabTo(page, page.getByRole('button', { name: 'New Virtual Machine' }));
  await page.keyboard.press('Enter');
  await tabTo(page, flow(page).getByRole('button', { name: 'Download', exact: true }));
  await page.keyboard.press('Enter');
  await expectPhase(page, 'downloading');
  await expect(downloadProgress(page)).toHaveAttribute('aria-valuetext', PART_DONE);

  await tabTo(page, flow(page).getByRole('button', { name: 'Pause' }));
  await trackFocus(page);
  await page.keyboard.press('Enter');
  await expectPhase(page, 'paused');
  await expect(flow(page).getByRole('button', { name: 'Resume' })).toBeFocused();
  expect(await focusLog(page)).not.toContain('body');

  await page.keyboard.press('Enter');
  await expectPhase(page, 'downloading');
  // A measured rate: the resumed download is reporting, and the step has settled.
  await expect(flow(page).getByText(/^[\d.]+ [kM]B\/s$/)).toBeVisible();
  expect(await focusLog(page)).not.toContain('body');
  await expect(flow(page).getByRole('button', { name: 'Pause' })).toBeFocused();
});

test('admin sign-in by keyboard, with a wrong and then the right token, keeps the focus', async ({
  page,
  portal,
}) => {
  await page.goto(`${portal.url}/admin`);
  await tabTo(page, page.getByLabel('Admin token'));
  await page.keyboard.type('not-the-admin-token');
  await tabTo(page, page.getByRole('button', { name: 'Sign in' }));
  await trackFocus(page);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await focusLog(page)).not.toContain('body');

  await tabTo(page, page.getByLabel('Admin token'));
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(ADMIN_TOKEN);
  await tabTo(page, page.getByRole('button', { name: 'Sign in' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Golden Images' })).toBeVisible();
  // The page opened by the sign-in takes the focus in place of the form that is gone.
  expect(describeStop(await focusedStop(page))).not.toBe('body');
  expect(await focusLog(page)).not.toContain('body');
});

test('a refused Save in the golden image form by keyboard keeps the focus in the form', async ({
  page,
  portal,
}) => {
  await page.goto(`${portal.url}/admin`);
  await tabTo(page, page.getByLabel('Admin token'));
  await page.keyboard.type(ADMIN_TOKEN);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Golden Images' })).toBeVisible();

  await tabTo(page, page.getByRole('button', { name: 'Create Golden Image' }));
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'Create Golden Image' });
  await tabTo(page, form.getByLabel('Name', { exact: true }));
  await page.keyboard.type('ACME Windows 11 for Operations');
  // An architecture switched on without its download: the portal refuses the save.
  await tabTo(page, form.getByLabel('Enable for Apple silicon'));
  await page.keyboard.press('Space');
  await tabTo(page, form.getByRole('button', { name: 'Save' }));
  await trackFocus(page);
  await page.keyboard.press('Enter');
  await expect(form.getByRole('alert').first()).toBeVisible();
  await expect(form.locator(':focus')).toHaveCount(1);
  expect(await focusLog(page)).not.toContain('body');
});
