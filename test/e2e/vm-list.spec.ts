import type { Locator, Page } from '@playwright/test';
import {
  expect,
  expectPhase,
  expectRegistered,
  flow,
  openControlCenter,
  openInvitation,
  screenshot,
  test,
} from './support/control-center.ts';

/** Collects what the page logs as errors: a CSP refusal of an icon shows up here. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** The top edge of each of the row's action buttons, to tell whether they wrapped. */
async function buttonTops(row: Locator): Promise<number[]> {
  const buttons = await row.locator('.vm-buttons button').all();
  const boxes = await Promise.all(buttons.map((button) => button.boundingBox()));
  return boxes.map((box) => box?.y ?? Number.NaN);
}

/** Checks that the icon loaded and drew: a blocked or broken image has no natural width. */
async function expectIconDrawn(icon: Locator): Promise<void> {
  await expect(icon).toBeVisible();
  await expect(icon).toHaveJSProperty('complete', true);
  await expect(icon).not.toHaveJSProperty('naturalWidth', 0);
}

test('a VM made in the Installation Assistant shows its system, its properties, and goes through a dialog', async ({
  page,
  webHosts,
}) => {
  const errors = consoleErrors(page);
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  const empty = page.locator('.vm-empty');
  await expect(empty).toHaveAttribute('data-empty', 'none');

  // While the invitation waits, the empty list does not send the user to a disabled button.
  await openInvitation(page);
  await expect(page.getByRole('button', { name: 'New Virtual Machine' })).toBeDisabled();
  await expect(empty).toHaveAttribute('data-empty', 'waiting');
  await expect(empty).not.toContainText('No virtual machines yet');

  await flow(page).getByRole('button', { name: 'Not now' }).click();
  await expectPhase(page, 'assistant');
  await flow(page).getByRole('radio', { name: 'Ubuntu 24.04 LTS' }).check();
  await flow(page).getByLabel('Name').fill('Dev box');
  await flow(page).getByRole('button', { name: 'Create' }).click();
  expect(await expectRegistered(page)).toBe('Dev box');

  const row = page.locator('tr[data-vm-id]', { hasText: 'Dev box' });
  const icon = row.locator('img[data-os="ubuntu"]');
  await expectIconDrawn(icon);
  await expect(row).toContainText('Ubuntu 24.04 LTS · ');
  const tops = await buttonTops(row);
  expect(tops).toHaveLength(4);
  expect(new Set(tops).size).toBe(1);

  await row.getByRole('button', { name: 'Dev box', exact: true }).click();
  const pane = page.getByRole('region', { name: 'Dev box', exact: true });
  await expect(pane.getByText('Source').locator('+ dd')).toHaveText(
    'Created in the Installation Assistant',
  );
  await expect(pane.getByText('Operating system').locator('+ dd')).toHaveText('Ubuntu 24.04 LTS');
  await expect(pane.getByText('Folder').locator('+ dd')).toContainText('Dev box.pvm');
  await expectIconDrawn(pane.locator('img[data-os="ubuntu"]'));
  await screenshot(page, 'vm-properties', [pane.locator('.vm-path')]);

  // Remove asks in a modal dialog; Escape leaves the VM and gives the focus back.
  const remove = row.getByRole('button', { name: 'Remove Dev box' });
  await remove.click();
  const dialog = page.getByRole('dialog', { name: 'Remove “Dev box”?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshot(page, 'vm-remove-dialog', [pane.locator('.vm-path')]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(remove).toBeFocused();

  await remove.click();
  await dialog.getByRole('button', { name: 'Delete Files' }).click();
  await expect(row).toHaveCount(0);
  await expect(pane).toHaveCount(0);
  await expect(empty).toBeFocused();
  await expect(empty).toContainText('No virtual machines yet.');
  await page.reload();
  await expect(empty).toContainText('No virtual machines yet.');
  await expect(page.locator('.vm-table')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the corporate VM's row keeps its actions on one line and its pane holds the whole checksum", async ({
  page,
  webHosts,
}) => {
  const errors = consoleErrors(page);
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await openInvitation(page);
  await flow(page).getByRole('button', { name: 'Download', exact: true }).click();
  const vmName = await expectRegistered(page);

  const row = page.locator('tr[aria-current="true"]');
  await expectIconDrawn(row.locator('img[data-os="windows"]'));
  await expect(row).toContainText('Windows 11 · ');
  const tops = await buttonTops(row);
  expect(tops).toHaveLength(4);
  expect(new Set(tops).size).toBe(1);

  const pane = page.getByRole('region', { name: vmName, exact: true });
  const hash = pane.locator('.vm-hash');
  await expect(hash).toHaveText(/^[0-9a-f]{64}$/);
  // Wrapped inside the pane, not pushed past its edge.
  const [paneBox, hashBox] = [await pane.boundingBox(), await hash.boundingBox()];
  expect(hashBox!.x + hashBox!.width).toBeLessThanOrEqual(paneBox!.x + paneBox!.width);
  await expect(pane.getByText('Source').locator('+ dd')).toHaveText(
    'Golden image “ACME Windows 11 for Developers”',
  );
  await screenshot(page, 'vm-properties-corporate', [pane.locator('.vm-path')]);
  expect(errors).toEqual([]);
});
