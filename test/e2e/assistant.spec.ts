import {
  expect,
  expectPhase,
  expectRegistered,
  flow,
  openControlCenter,
  openInvitation,
  openSection,
  test,
} from './support/control-center.ts';

const OWN_VM = { os: 'fedora-40', name: 'Box', cpus: 1, memoryMb: 1024, diskSizeBytes: 2 ** 20 };

test('on an Intel Mac the Installation Assistant offers no macOS, and refuses a name in use', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await host.invoke('assistant:create-vm', OWN_VM);
  await openControlCenter(page, host.url);
  await openSection(page, 'Settings');
  await page.getByLabel('Architecture').selectOption({ label: 'Intel' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await openSection(page, 'Virtual Machines');

  await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Not now' }).click();
  await expectPhase(page, 'assistant');
  const assistant = flow(page);
  await expect(
    assistant.getByRole('group', { name: 'Operating system' }),
  ).toHaveAccessibleDescription('The VM is set up for Intel.');
  await expect(assistant.getByRole('radio', { name: 'Windows 11' })).toBeChecked();
  await expect(assistant.getByRole('radio', { name: 'macOS' })).toHaveCount(0);

  await assistant.getByRole('radio', { name: 'Fedora 40' }).check();
  await expect(assistant.getByLabel('Name')).toHaveValue('Fedora 40');
  await assistant.getByLabel('Name').fill('box');
  await assistant.getByRole('button', { name: 'Create' }).click();
  await expect(assistant.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(assistant.getByLabel('Name')).toHaveAccessibleDescription(
    /A VM named "box" is already on this Mac\. Choose another name\./,
  );
  await assistant.getByLabel('Name').fill('Fedora box');
  await assistant.getByRole('button', { name: 'Create' }).click();
  expect(await expectRegistered(page)).toBe('Fedora box');
});

test('the agent itself refuses a macOS VM on an Intel Mac', async ({ webHosts }) => {
  const host = await webHosts.start();
  const settings = await host.invoke('settings:get');
  await host.invoke('settings:save', { ...settings, arch: 'x86_64' });
  const options = await host.invoke('assistant:get-options');
  expect(options.oses.map((os) => os.id)).not.toContain('macos');
  await expect(host.invoke('assistant:create-vm', { ...OWN_VM, os: 'macos' })).rejects.toThrow(
    /INVALID_PAYLOAD: A macOS VM needs a Mac with Apple silicon/,
  );
});
