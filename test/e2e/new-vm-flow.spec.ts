import {
  expect,
  expectPhase,
  expectRegistered,
  flow,
  openControlCenter,
  openInvitation,
  openSection,
  screenshot,
  test,
} from './support/control-center.ts';

test('accepting the invitation downloads, verifies, unpacks and registers the corporate VM', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await expect(page.getByText('No virtual machines yet.')).toBeVisible();
  await expect(page.locator('[data-notice="embedded-portal"]')).toContainText(
    'Connected to the demo portal built into Provisim',
  );

  const imageName = await openInvitation(page);
  expect(imageName).toBe('ACME Windows 11 for Developers');
  await expect(flow(page)).toContainText('Visual Studio, Git and the VPN client are installed.');
  await screenshot(page, 'invitation');

  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  const vmName = await expectRegistered(page);
  await expect(flow(page)).toContainText('registered on this Mac and selected in the list below');
  const row = page.locator('tr[aria-current="true"]');
  await expect(row).toContainText('Corporate');
  await expect(row).toContainText(imageName);
  await screenshot(page, 'registered');

  // Done closes the step; the VM stays in the list and New Virtual Machine is offered again.
  await flow(page).getByRole('button', { name: 'Done' }).click();
  await expect(flow(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: vmName, exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New Virtual Machine' })).toBeEnabled();

  // The agent's events of the job, with their delivery to the portal.
  await openSection(page, 'Activity');
  await expect(page.getByRole('row', { name: /VM registered/ })).toBeVisible();
});

test('Not now opens the Installation Assistant, which creates and registers a VM', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Not now' }).click();

  await expectPhase(page, 'assistant');
  const assistant = flow(page);
  await expect(assistant.getByRole('heading', { name: 'Installation Assistant' })).toBeVisible();
  // The engineering group may create its own VMs: the form is open.
  await expect(assistant.getByRole('alert')).toHaveCount(0);
  await assistant.getByRole('radio', { name: 'Ubuntu 24.04 LTS' }).check();
  await expect(assistant.getByLabel('Name')).toHaveValue('Ubuntu 24.04 LTS');
  await assistant.getByLabel('Name').fill('Dev box');
  await assistant.getByLabel('CPUs').fill('2');
  await assistant.getByLabel('Memory (GB)').fill('4');
  await assistant.getByLabel('Disk size (GB)').fill('32');
  await screenshot(page, 'assistant');

  await assistant.getByRole('button', { name: 'Create' }).click();
  expect(await expectRegistered(page)).toBe('Dev box');
  const row = page.locator('tr[aria-current="true"]');
  await expect(row).toContainText('Created on this Mac');
  await expect(row.getByText('Corporate')).toHaveCount(0);
  // A VM made on this Mac is the user's own: it may be removed.
  await expect(row.getByRole('button', { name: 'Remove Dev box' })).toBeEnabled();
  await screenshot(page, 'vm-created');
});
