import { join } from 'node:path';
import { screenshot } from './support/control-center.ts';
import { KEYS, expect, openAdminPage, runAgent, signIn, test } from './support/admin-portal.ts';

test('an admin creates and assigns a golden image; the fleet view shows the Mac that registered it', async ({
  page,
  portal,
  hostedImage,
  workDir,
}) => {
  await page.goto(`${portal.url}/admin`);
  await expect(page.getByRole('heading', { name: 'Provisim Management Portal' })).toBeVisible();
  await screenshot(page, 'admin-sign-in');
  await signIn(page, portal.url);
  await expect(page.getByText('No golden images yet.')).toBeVisible();

  // Create: the page refuses an enabled architecture without its checksum, beside the field.
  await page.getByRole('button', { name: 'Create Golden Image' }).click();
  const form = page.getByRole('form', { name: 'Create Golden Image' });
  await form.getByLabel('Name').fill('ACME Windows 11 for Operations');
  await form.getByLabel('Description (optional)').fill('The tools of the operations team.');
  await form.getByLabel('Enable for Apple silicon').check();
  await form.getByLabel('Download URL for Apple silicon').fill(hostedImage.url);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.locator('[role="alert"][data-code="CHECKSUM_REQUIRED"]')).toBeFocused();
  const checksumField = form.getByLabel('Checksum (SHA-256) for Apple silicon');
  await expect(checksumField).toHaveAttribute('aria-invalid', 'true');
  await expect(checksumField).toHaveAccessibleDescription(
    /Apple silicon image: paste the SHA-256 checksum/,
  );

  await form.getByLabel('Checksum (SHA-256) for Apple silicon').fill(hostedImage.checksum);
  await form.getByRole('button', { name: 'Verify link for Apple silicon' }).click();
  await expect(form.locator('.verify-answer')).toContainText('The link is good.');
  // Tall enough for the whole form; the pasted checksum line holds this run's temporary path.
  await page.setViewportSize({ width: 1200, height: 1150 });
  await screenshot(page, 'admin-golden-image-form', [
    form.getByLabel('Checksum (SHA-256) for Apple silicon'),
  ]);
  await page.setViewportSize({ width: 1200, height: 800 });
  await form.getByRole('button', { name: 'Save' }).click();

  // Assign it to the group, which had no golden image.
  const card = page.getByRole('listitem', { name: 'ACME Windows 11 for Operations' });
  await expect(card).toContainText('Assigned toNo group');
  await card.getByRole('button', { name: 'Edit ACME Windows 11 for Operations' }).click();
  await page.getByLabel('Operations (operations)').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Golden image “ACME Windows 11 for Operations” saved.',
  );
  await expect(card).toContainText('Assigned toOperations');
  await screenshot(page, 'admin-golden-images');

  // The fleet view is open, and live, before the Mac checks in: the row arrives on the stream.
  await openAdminPage(page, 'Virtual Machines');
  await expect(page.locator('.live')).toHaveAttribute('data-state', 'live');
  await expect(page.getByText('No Mac has checked in yet.', { exact: false })).toBeVisible();
  const agent = await runAgent(portal.url, KEYS.operations, join(workDir, 'mac'));
  expect(agent.code, agent.output).toBe(0);

  const row = page.locator('tr[data-phase="registered"]');
  await expect(row).toHaveCount(1);
  await expect(row.locator('.corporate-vms')).not.toHaveText('None');
  await expect(row).toContainText('Apple silicon');
  // The group by its name; the Mac ran once and was heard from just now.
  await expect(row).toContainText('Operations');
  await expect(row.locator('td.status')).toHaveText('Online');
  await expect(page.locator('.live')).toHaveAttribute('data-state', 'live');
  await screenshot(page, 'admin-fleet', [row.locator('th'), row.locator('td').nth(5)]);

  // Ask that Mac to fetch its policy: the answer gives its state at once.
  await row.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Request policy retrieval' }).click();
  await expect(row.locator('[data-retrieval]')).not.toHaveAttribute('data-retrieval', 'none');

  // The rollout of that image: the one Mac offered, accepted and registered, with its time to VM.
  await openAdminPage(page, 'Rollout');
  await expect(page.locator('.live')).toHaveAttribute('data-state', 'live');
  const rollout = page.getByRole('listitem', { name: 'ACME Windows 11 for Operations' });
  await expect(rollout.locator('tr[data-stage="offered"] .count')).toHaveText('1');
  await expect(rollout.locator('tr[data-stage="accepted"] .count')).toHaveText('1');
  await expect(rollout.locator('tr[data-stage="registered"] .count')).toHaveText('1');
  await expect(rollout.locator('tr[data-stage="failed"] .count')).toHaveText('0');
  await expect(rollout.locator('.rollout-times')).toContainText('Median (p50)');
});

test('every admin page opens under the strict CSP without a console error', async ({
  page,
  portal,
}) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  const response = await page.goto(`${portal.url}/admin`);
  expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
  await signIn(page, portal.url);
  const pages = [
    ['User Groups', 'Operations'],
    ['License Keys', KEYS.operations],
    ['Policies', 'No policies yet.'],
    ['Configuration Profiles', 'No configuration profiles yet.'],
    ['Virtual Machines', 'No Mac has checked in yet.'],
    ['Rollout', 'No golden images yet.'],
    ['Events', 'No events yet.'],
    ['Faults', 'No fault is active'],
    ['Golden Images', 'No golden images yet.'],
  ] as const;
  for (const [title, text] of pages) {
    await openAdminPage(page, title);
    await expect(page.locator('main')).toContainText(text);
  }
  expect(problems).toEqual([]);
});
