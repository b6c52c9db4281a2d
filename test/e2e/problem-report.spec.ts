import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { REPORT_ID_PATTERN } from '../../shared/protocol.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { expect, openControlCenter, screenshot, test } from './support/control-center.ts';
import { tabTo } from './support/focus.ts';

function reportDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Send Problem Report' });
}

/** Opens Help → Send Problem Report with the keyboard alone. */
async function openReportDialog(page: Page): Promise<void> {
  const help = page.getByRole('group', { name: 'Help' });
  await tabTo(page, help.getByRole('button', { name: 'Send Problem Report…' }));
  await page.keyboard.press('Enter');
  await expect(reportDialog(page)).toHaveAttribute('data-state', 'ask');
}

/** Creates the report, ticking "Send to my administrator" first when `send`; returns its file. */
async function createReport(page: Page, send: boolean): Promise<string> {
  const dialog = reportDialog(page);
  if (send) await dialog.getByRole('checkbox', { name: 'Send to my administrator' }).check();
  await dialog.getByRole('button', { name: 'Create Report' }).click();
  await expect(dialog).toHaveAttribute('data-state', 'created');
  const id = (await dialog.getByRole('definition').first().textContent()) ?? '';
  expect(id).toMatch(REPORT_ID_PATTERN);
  const path = (await dialog.locator('.report-path').textContent()) ?? '';
  expect(path.endsWith(`${id}.tar.gz`)).toBe(true);
  return path;
}

test('Help → Send Problem Report says what it collects, sends it, and names the bundle', async ({
  page,
  webHosts,
  home,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  // The portal must know this Mac before it takes its report.
  await host.invoke('agent:connect');
  await openReportDialog(page);
  const dialog = reportDialog(page);
  await expect(
    dialog.getByRole('listitem').filter({ hasText: 'license key redacted' }),
  ).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshot(page, 'problem-report');

  const path = await createReport(page, true);
  await expect(dialog.getByText(/^Sent to your administrator/)).toBeVisible();
  expect(path.startsWith(join(home, 'reports'))).toBe(true);
  expect((await stat(path)).isFile()).toBe(true);
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await screenshot(page, 'problem-report-sent');

  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send Problem Report…' })).toBeFocused();
});

test('a report not sent stays on this Mac, and a failed upload says why', async ({
  page,
  webHosts,
  home,
}) => {
  // A portal a CLI run configured, which does not answer any more: nothing listens on its port.
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  openAgentStore(home).update({
    portalUrl: `http://127.0.0.1:${port}`,
    licenseKey: 'ACME-ENG-0002',
  });
  const host = await webHosts.start();
  await openControlCenter(page, host.url);

  await openReportDialog(page);
  await createReport(page, false);
  await expect(
    reportDialog(page).getByText(/^Not sent: the report stays on this Mac/),
  ).toBeVisible();
  await reportDialog(page).getByRole('button', { name: 'Close' }).click();

  await openReportDialog(page);
  const path = await createReport(page, true);
  await expect(reportDialog(page).getByText(/^Not sent\./)).toContainText(
    ERROR_SENTENCES.PORTAL_UNREACHABLE,
  );
  expect((await stat(path)).isFile()).toBe(true);
  await screenshot(page, 'problem-report-send-failed');
});
