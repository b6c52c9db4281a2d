import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { REPORT_HEADERS } from '../../shared/protocol.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { KEYS, expect, openAdminPage, signIn, test } from './support/admin-portal.ts';

// Checks a Mac in with `licenseKey` and uploads one bundle per report ID, as the agent does.
async function macWithReports(url: string, hostname: string, licenseKey: string, ids: string[]) {
  const deviceId = randomUUID();
  const checkIn = await fetch(`${url}/api/v1/checkin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ licenseKey, deviceId, hostname, arch: 'arm64', agentVersion: '1.0.0' }),
  });
  expect(checkIn.status).toBe(200);
  const bundles = new Map<string, Buffer>();
  for (const id of ids) {
    const body = gzipSync(Buffer.from(`report ${id} of ${hostname}`));
    const answer = await fetch(`${url}/api/v1/devices/${deviceId}/reports`, {
      method: 'POST',
      headers: {
        'content-type': 'application/gzip',
        [REPORT_HEADERS.licenseKey]: licenseKey,
        [REPORT_HEADERS.reportId]: id,
      },
      body,
    });
    expect(answer.status).toBe(201);
    bundles.set(id, body);
  }
  return { deviceId, bundles };
}

test('an admin finds the problem reports per Mac and downloads one, byte for byte', async ({
  page,
  portal,
}) => {
  const ops = await macWithReports(portal.url, 'mac-ops-01', KEYS.operations, [
    'PR-20250301-0000000A',
    'PR-20250302-0000000B',
  ]);
  await macWithReports(portal.url, 'mac-boss', KEYS.primary, ['PR-20250303-0000000C']);

  await signIn(page, portal.url);
  await openAdminPage(page, 'Problem reports');
  const macs = page.getByRole('list', { name: 'Macs with problem reports' });
  await expect(macs.getByRole('listitem')).toHaveCount(2);
  // The Mac with the newest report first.
  await expect(macs.getByRole('heading', { level: 2 })).toHaveText(['mac-boss', 'mac-ops-01']);
  const table = page.getByRole('table', { name: 'Problem reports from mac-ops-01' });
  await expect(table.getByRole('rowheader')).toHaveText([
    'PR-20250302-0000000B',
    'PR-20250301-0000000A',
  ]);
  await expect(page.getByText(`Device ${ops.deviceId}`)).toBeVisible();
  await expectNoAxeViolations(page, 'admin-reports');

  const saving = page.waitForEvent('download');
  await table.getByRole('button', { name: 'Download PR-20250301-0000000A' }).click();
  const download = await saving;
  expect(download.suggestedFilename()).toBe('PR-20250301-0000000A.tar.gz');
  const saved = await readFile(await download.path());
  expect(saved.equals(ops.bundles.get('PR-20250301-0000000A')!)).toBe(true);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
