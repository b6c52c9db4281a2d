import type { Locator, Page } from '@playwright/test';
import { screenshot } from './support/control-center.ts';
import { ADMIN_TOKEN, KEYS, expect, openAdminPage, signIn, test } from './support/admin-portal.ts';

/** How far `inner` reaches past the right edge of `outer`, in CSS pixels (0 when inside). */
async function overhang(inner: Locator, outer: Locator): Promise<number> {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  return Math.max(0, Math.round(a!.x + a!.width - (b!.x + b!.width)));
}

/** How many lines the text of each element matching `selector` takes (1 when it is not broken). */
function linesOf(page: Page, selector: string): Promise<number[]> {
  // A string, run in the page: the test's own types know no DOM.
  return page.evaluate<
    number[]
  >(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  })`);
}

/** How far an element's content reaches past its own box (0 when it fits). */
function overflowOf(locator: Locator): Promise<number> {
  return locator.evaluate((el) => {
    const box = el as unknown as { scrollWidth: number; clientWidth: number };
    return box.scrollWidth - box.clientWidth;
  });
}

async function createImage(portalUrl: string, body: object): Promise<void> {
  const res = await fetch(`${portalUrl}/api/v1/admin/golden-images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBe(201);
}

test('a 64-character checksum in a Verify result stays inside the Intel fieldset and the card', async ({
  page,
  portal,
  hostedImage,
}) => {
  await signIn(page, portal.url);
  await page.getByRole('button', { name: 'Create Golden Image' }).click();
  const form = page.getByRole('form', { name: 'Create Golden Image' });
  const intel = form.locator('fieldset[data-arch="x86_64"]');
  await form.getByLabel('Enable for Intel').check();
  await form.getByLabel('Download URL for Intel').fill(hostedImage.url);
  await form.getByLabel('Checksum (SHA-256) for Intel').fill('b'.repeat(64));
  await intel.getByLabel('Also download it and compare the checksum').check();
  await form.getByRole('button', { name: 'Verify link for Intel' }).click();
  const answer = intel.locator('.verify-answer');
  await expect(answer).toContainText('does not match');
  await expect(answer.locator('code.hash')).toHaveText(/^[0-9a-f]{64}$/);

  // A misspelt checksum on Save: the sentence beside the field, nothing pushed past the card.
  await form.getByLabel('Checksum (SHA-256) for Intel').fill(`${'b'.repeat(63)}g`);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByLabel('Checksum (SHA-256) for Intel')).toHaveAccessibleDescription(
    /Intel image: this is not a SHA-256 checksum/,
  );
  expect(await overhang(intel, form)).toBe(0);
  expect(await overhang(answer, intel)).toBe(0);
  expect(await overflowOf(form)).toBeLessThanOrEqual(0);
});

test('golden image cards keep links and checksums whole, each on one line, with labels unbroken', async ({
  page,
  portal,
}) => {
  await createImage(portal.url, {
    name: 'ACME Windows 11 for Operations',
    images: {
      arm64: {
        enabled: true,
        url: 'https://files.acme-corporation.example/virtual-machines/windows-11/ACME-Windows-11-Operations-arm64.pvmp',
        checksum: `${'63a9f0e1'.repeat(8)}  /Users/admin/Parallels/ACME-Windows-11-Operations-arm64.pvmp`,
      },
    },
    assignedTo: ['operations'],
  });
  // Narrow: the card is at its smallest, where a long token used to break anywhere.
  await page.setViewportSize({ width: 760, height: 800 });
  await signIn(page, portal.url);
  const card = page.getByRole('listitem', { name: 'ACME Windows 11 for Operations' });
  await expect(card.locator('.token')).toHaveCount(2);
  expect(await linesOf(page, '.image-card .token')).toEqual([1, 1]);
  expect(await linesOf(page, '.image-card .label')).toEqual([1, 1]);
  await expect(card.locator('.label').nth(1)).toHaveText('SHA-256');
  await expect(card.locator('.token.hash')).toHaveAttribute('title', '63a9f0e1'.repeat(8));
  await expect(card.locator('.token.url')).toHaveText('…/ACME-Windows-11-Operations-arm64.pvmp');
  await expect(card.locator('.token.url')).toHaveAttribute('title', /^https:\/\/files\.acme/);
  expect(await overflowOf(card)).toBeLessThanOrEqual(0);
  await screenshot(page, 'admin-golden-image-card-narrow');
});

test('sign-in and a refused Save keep the focus on the page, never on its body', async ({
  page,
  portal,
}) => {
  await page.goto(`${portal.url}/admin`);
  const field = page.getByLabel('Admin token');
  await field.fill('not-the-admin-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/^This admin token is not right\./);
  await expect(field).toBeFocused();

  await field.fill(ADMIN_TOKEN);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Golden Images' })).toBeFocused();

  // Another admin takes the name while this form is open: the portal refuses the Save.
  await page.getByRole('button', { name: 'Create Golden Image' }).click();
  const form = page.getByRole('form', { name: 'Create Golden Image' });
  await createImage(portal.url, { name: 'Finance VM', images: {} });
  await form.getByLabel('Name').fill('Finance VM');
  await form.getByRole('button', { name: 'Save' }).click();
  const alert = form.locator('[role="alert"][data-code="DUPLICATE_ID"]');
  await expect(alert).toBeFocused();
  await expect(form.getByLabel('Name')).toHaveAccessibleDescription(
    /Another golden image is already called “Finance VM”\. Choose another name\./,
  );
  expect(await page.evaluate<boolean>('document.activeElement === document.body')).toBe(false);
});

test('a license key, a policy and a profile each turn into a form in place, passing axe-core', async ({
  page,
  portal,
}) => {
  const post = async (path: string, body: object) => {
    const res = await fetch(`${portal.url}/api/v1/admin${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.text()).toBe(201);
  };
  await post('/policies', {
    id: 'ops-strict',
    appliesTo: ['operations'],
    restrictToCorporateVms: true,
  });
  await post('/configuration-profiles', {
    name: 'Operations settings',
    settings: { 'vm.startupView': 'coherence', 'app.autoUpdate': false },
    assignedTo: ['operations'],
  });
  await signIn(page, portal.url);
  const main = page.locator('main');

  await openAdminPage(page, 'License Keys');
  await main.getByRole('button', { name: `Edit ${KEYS.operations}` }).click();
  await expect(main.getByRole('form', { name: `Edit ${KEYS.operations}` })).toBeVisible();
  await screenshot(page, 'admin-license-key-edit');

  await openAdminPage(page, 'Policies');
  await main.getByRole('button', { name: 'Edit ops-strict' }).click();
  const policy = main.getByRole('form', { name: 'Edit ops-strict' });
  await policy.getByLabel('Prevent corporate VM removal').check();
  await policy.getByRole('button', { name: 'Save' }).click();
  await expect(main.getByRole('listitem', { name: 'ops-strict' })).toContainText(
    'Prevent corporate VM removalOn',
  );
  await screenshot(page, 'admin-policies-saved');

  await openAdminPage(page, 'Configuration Profiles');
  await main.getByRole('button', { name: 'Edit Operations settings' }).click();
  await expect(main.getByRole('form', { name: 'Edit Operations settings' })).toBeVisible();
  await page.setViewportSize({ width: 1200, height: 1100 });
  await screenshot(page, 'admin-profile-edit');
});
