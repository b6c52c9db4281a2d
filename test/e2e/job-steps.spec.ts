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
  test,
} from './support/control-center.ts';
import { focusLog, trackFocus } from './support/focus.ts';

// 4 MiB at 1 MiB/s: a download of about four seconds, long enough to pause or cancel on purpose.
const SLOW = { demoSize: '4MiB', bandwidth: 1024 * 1024 };

test('the job ends with every step done and the whole verified checksum shown', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  await expectRegistered(page);

  const steps = flow(page).getByRole('list', { name: 'Steps' }).getByRole('listitem');
  await expect(steps).toHaveText([
    '✓Policy, done',
    '✓Download, done',
    '✓Verify, done',
    '✓Unpack, done',
    '✓Register, done',
  ]);
  const [vm] = (await host.invoke('state:get')).vms;
  const sha256 = vm?.source.kind === 'golden-image' ? vm.source.sha256 : '';
  expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  await expect(flow(page)).toContainText('Checksum verified');
  const checksum = flow(page).locator('code.sha256');
  await expect(checksum).toHaveText(sha256);
  // Whole, in two rows of 32 characters inside the step, never past its edge.
  const [box, step] = await Promise.all([checksum.boundingBox(), flow(page).boundingBox()]);
  expect(box!.x + box!.width).toBeLessThanOrEqual(step!.x + step!.width);
  const lineHeight = await page.evaluate(
    "parseFloat(getComputedStyle(document.querySelector('code.sha256')).lineHeight)",
  );
  const rows = Math.floor(box!.height / Number(lineHeight));
  expect(rows).toBe(2);
  await screenshot(page, 'verified');
});

test('Pause is logged as paused, Resume keeps the focus off the page and headings', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start(SLOW);
  await openControlCenter(page, host.url);
  await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  await expectPhase(page, 'downloading');
  await expect(downloadProgress(page)).toHaveAttribute('aria-valuetext', PART_DONE);
  await expect(flow(page).getByText(/^\d+% downloaded$/)).toBeVisible();
  await expect(flow(page).getByText(/^Done/)).toHaveCount(0);

  await flow(page).getByRole('button', { name: 'Pause' }).click();
  await expectPhase(page, 'paused');
  await trackFocus(page);
  await flow(page).getByRole('button', { name: 'Resume' }).click();
  await expectPhase(page, 'downloading');
  await expect(flow(page).getByRole('button', { name: 'Pause' })).toBeFocused();
  // Through the policy check of the resume, only the button the user pressed held the focus.
  const stops = await focusLog(page);
  expect(
    stops.every((stop) => stop.startsWith('button')),
    stops.join('\n'),
  ).toBe(true);
  await expectRegistered(page);

  await openSection(page, 'Activity');
  await expect(page.getByRole('row', { name: /Download paused/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Download failed/ })).toHaveCount(0);
  await expect(page.getByText('The portal has every event.')).toHaveCount(0);
  await expect(
    page.getByText(/^(All events sent to the portal\.|\d+ events? waiting)/),
  ).toBeVisible();
  const events = page.getByRole('region', { name: 'Agent events' });
  await events.focus();
  await expect(events).toBeFocused();
});

test('Cancel asks first, and only the confirmed cancel deletes the download', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start(SLOW);
  await openControlCenter(page, host.url);
  const imageName = await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  await expect(downloadProgress(page)).toHaveAttribute('aria-valuetext', PART_DONE);
  await flow(page).getByRole('button', { name: 'Pause' }).click();
  await expectPhase(page, 'paused');

  await flow(page).getByRole('button', { name: 'Cancel', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Cancel the download of ${imageName}?` });
  await expect(dialog).toContainText('downloaded so far will be deleted');
  await screenshot(page, 'cancel-confirm');
  await dialog.getByRole('button', { name: 'Keep Paused' }).click();
  await expect(dialog).toHaveCount(0);
  await expectPhase(page, 'paused');
  expect((await host.invoke('state:get')).resumable).not.toBeNull();

  await flow(page).getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog.getByRole('button', { name: 'Cancel Download' }).click();
  await expectPhase(page, 'cancelled');
  expect((await host.invoke('state:get')).resumable).toBeNull();
});

test('the VM already on this Mac leads on to the Installation Assistant, and a removed VM leaves no notice', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  await expectRegistered(page);
  await flow(page).getByRole('button', { name: 'Done' }).click();

  await page.getByRole('button', { name: 'New Virtual Machine' }).click();
  await expect(flow(page)).toContainText('already on this Mac');
  await flow(page).getByRole('button', { name: 'Open Installation Assistant' }).click();
  await expectPhase(page, 'assistant');
  await expect(flow(page).getByRole('radio').first()).toBeVisible();
  await flow(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(flow(page)).toHaveCount(0);

  await page.getByRole('button', { name: 'New Virtual Machine' }).click();
  await expect(flow(page)).toContainText('selected in the list below');
  const [vm] = (await host.invoke('state:get')).vms;
  await host.invoke('vm:remove', { uuid: vm!.uuid, deleteFiles: false });
  await expect(flow(page)).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Virtual Machines' })).toBeVisible();
  await expect(page.getByText(/is ready|selected in the list below/)).toHaveCount(0);
});
