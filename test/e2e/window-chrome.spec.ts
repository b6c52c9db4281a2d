import { expect, expectPhase, flow, openControlCenter, test } from './support/control-center.ts';
import { tabTo } from './support/focus.ts';

test('the page names an icon the web host serves, so no favicon request fails', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).not.toBeNull();
  const icon = await page.request.get(new URL(href!, page.url()).href);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toBe('image/svg+xml');
});

test('the demo portal note takes one line and stays hidden for the session once hidden', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  const note = page.locator('[data-notice="embedded-portal"]');
  const box = await note.boundingBox();
  expect(box!.height).toBeLessThanOrEqual(40);
  await note.getByRole('button', { name: 'Hide this note' }).click();
  await expect(note).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('button', { name: 'New Virtual Machine' })).toBeEnabled();
  await expect(note).toHaveCount(0);
});

// A badge as the sidebar shows one, in the real page and its styles: its digit's own box.
const BADGE_AND_DIGIT = `(() => {
  const nav = [...document.querySelectorAll('.nav-item')].find((b) => b.textContent === 'Activity');
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.textContent = '3';
  nav.append(badge);
  const range = document.createRange();
  range.selectNodeContents(badge);
  const digit = range.getBoundingClientRect();
  const pill = badge.getBoundingClientRect();
  return {
    pill: pill.top + pill.height / 2,
    digit: digit.top + digit.height / 2,
    pillX: pill.left + pill.width / 2,
    digitX: digit.left + digit.width / 2,
  };
})()`;

test("the Activity badge's digit sits in the middle of the badge", async ({ page, webHosts }) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  const centres = await page.evaluate<{
    pill: number;
    digit: number;
    pillX: number;
    digitX: number;
  }>(BADGE_AND_DIGIT);
  expect(Math.abs(centres.pill - centres.digit)).toBeLessThanOrEqual(1);
  expect(Math.abs(centres.pillX - centres.digitX)).toBeLessThanOrEqual(1);
});

test('a step heading that takes the focus by keyboard shows a focus ring', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await tabTo(page, page.getByRole('button', { name: 'New Virtual Machine' }));
  await page.keyboard.press('Enter');
  await expectPhase(page, 'invited');
  const heading = flow(page).getByRole('heading');
  await expect(heading).toBeFocused();
  await expect(heading).not.toHaveCSS('outline-style', 'none');
});
