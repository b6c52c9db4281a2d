import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { DEMO_LICENSE_KEYS } from '../../electron/portal/demo-org.ts';
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

test('a new license key is activated by a check-in and its policy is what the agent offers next', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await openSection(page, 'Settings');
  const key = page.getByLabel('License key');
  await expect(key).toHaveValue(DEMO_LICENSE_KEYS.engineering);
  const status = page.locator('.settings-form [role="status"]');

  // A key the portal does not know is refused by the activation check-in, and nothing is saved.
  await key.fill('ACME-NOPE-0009');
  await page.getByRole('button', { name: 'Save' }).click();
  // The refusal sits beside the key; Save says only that nothing was saved.
  await expect(key).toHaveAccessibleDescription(new RegExp(ERROR_SENTENCES.LICENSE_UNKNOWN));
  await expect(status).toHaveText('Not saved: check the license key.');
  expect((await host.invoke('settings:get')).licenseKey).toBe(DEMO_LICENSE_KEYS.engineering);

  await key.fill(DEMO_LICENSE_KEYS.finance);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(status).toHaveText(
    `Settings saved. ${DEMO_LICENSE_KEYS.finance} is active with the demo portal: revision 1 of the policy for the Finance group applies. It offers ACME Windows 11 for Finance. Corporate VMs only.`,
  );
  // The VM folder shows this run's temporary home: masked, so the picture holds no machine path.
  await screenshot(page, 'settings', [page.getByLabel('VM folder')]);

  await openSection(page, 'Virtual Machines');
  // The finance group's policy: its own image, and corporate VMs only.
  expect(await openInvitation(page)).toBe('ACME Windows 11 for Finance');
  await expect(flow(page)).toContainText('Your organisation allows corporate VMs only');
  await screenshot(page, 'new-policy-invitation');
});

test('a corporate-only policy blocks the Installation Assistant with its sentence', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  // The finance group's key: corporate VMs only, and they may not be removed.
  const settings = await host.invoke('settings:get');
  await host.invoke('settings:save', { ...settings, licenseKey: DEMO_LICENSE_KEYS.finance });
  await openControlCenter(page, host.url);

  const imageName = await openInvitation(page);
  expect(imageName).toBe('ACME Windows 11 for Finance');
  await expect(flow(page)).toContainText(
    'Your organisation allows corporate VMs only: without this download you cannot create a VM.',
  );
  await flow(page).getByRole('button', { name: 'Not now' }).click();

  await expectPhase(page, 'assistant');
  const assistant = flow(page);
  await expect(assistant.getByRole('alert')).toHaveText(ERROR_SENTENCES.CORPORATE_ONLY);
  // Nothing to fill in: the block says why and offers the way out instead.
  await expect(assistant.getByRole('button', { name: 'Create' })).toHaveCount(0);
  await expect(assistant.getByRole('textbox')).toHaveCount(0);
  await screenshot(page, 'corporate-only');

  // The way out the block offers: back to the invitation for the corporate VM.
  await assistant.getByRole('button', { name: 'Download the corporate VM' }).click();
  await expectPhase(page, 'invited');
  await expect(flow(page).locator('.image-name')).toHaveText(imageName);
});
