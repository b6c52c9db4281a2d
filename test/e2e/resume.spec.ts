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

// 16 MiB at 1 MiB/s: about 16 s, long enough to take the downloading pictures (each checked
// with axe, in light and dark) and still pause on purpose.
const SLOW = { demoSize: '16MiB', bandwidth: 1024 * 1024 };

test('Pause keeps what arrived and Resume continues it to a registered VM', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start(SLOW);
  await openControlCenter(page, host.url);
  const imageName = await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();

  await expectPhase(page, 'downloading');
  await expect(flow(page).getByRole('heading')).toHaveText(`Downloading ${imageName}`);
  await expect(downloadProgress(page)).toHaveAttribute('aria-valuetext', PART_DONE);
  await expect(page.getByRole('button', { name: 'New Virtual Machine' })).toBeDisabled();
  // A measured rate (kB/s or MB/s, never the first "0 B/s") makes the screenshot tell more.
  await expect(flow(page).getByText(/^[\d.]+ [kM]B\/s$/)).toBeVisible();
  await screenshot(page, 'downloading');

  await flow(page).getByRole('button', { name: 'Pause' }).click();
  await expectPhase(page, 'paused');
  await expect(flow(page).getByRole('heading')).toHaveText(`Download of ${imageName} paused`);
  await expect(flow(page)).toContainText('What has arrived is kept: Resume continues');
  // Speed and time left say Paused; the bytes shown are those of the partial file on disk.
  await expect(downloadProgress(page)).toHaveAttribute('aria-valuetext', PART_DONE);
  await expect(flow(page).getByText('Paused', { exact: true }).first()).toBeVisible();
  // The same button resumes: the keyboard focus stays where the user pressed.
  await expect(flow(page).getByRole('button', { name: 'Resume' })).toBeFocused();
  await screenshot(page, 'paused');

  // What is left may take only a moment: wait for the end, not for a glimpse of the download.
  await flow(page).getByRole('button', { name: 'Resume' }).click();
  await expectRegistered(page);

  // The job went on from the kept bytes, and the Activity view says so.
  await openSection(page, 'Activity');
  await expect(page.getByRole('row', { name: /Download resumed/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /VM registered/ })).toBeVisible();
});

test('after the agent dies mid-download, the next start offers to resume, and resuming registers', async ({
  page,
  webHosts,
}) => {
  const first = await webHosts.start(SLOW);
  await openControlCenter(page, first.url);
  const imageName = await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  await expectPhase(page, 'downloading');
  await expect(downloadProgress(page)).toHaveAttribute('aria-valuetext', PART_DONE);

  // A crash, not a clean quit: nothing gets the chance to tidy up.
  await first.crash();
  const second = await webHosts.start(SLOW);
  await openControlCenter(page, second.url);

  const offer = page.getByRole('region', { name: 'Unfinished download found' });
  await expect(offer).toBeVisible();
  await expect(offer).toContainText(`The download of ${imageName} stopped at`);
  await expect(flow(page)).toHaveCount(0);
  await screenshot(page, 'resume-offer');

  // Accepted before the crash, so the resumed job asks no second time: nothing is clicked on the
  // way to the registered VM.
  await offer.getByRole('button', { name: 'Resume download' }).click();
  await expect(offer).toHaveCount(0);
  await expectRegistered(page);

  await openSection(page, 'Activity');
  await expect(page.getByRole('row', { name: /Download resumed/ })).toBeVisible();
});
