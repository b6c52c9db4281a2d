import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { PortalState } from '../../../electron/portal/portal-state.ts';
import { setupReports } from '../../../electron/portal/reports/report-setup.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { ADMIN_TOKEN, enrol } from '../client-fixtures.ts';
import { sampleOrg, usePortals } from '../portal-fixtures.ts';
import { adminReports, bundle, reportId, upload } from './report-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();

describe('admin report routes', () => {
  it('open to the admin token only: 401 without it or with a wrong one, 403 when off', async () => {
    const portal = await startPortal({
      dataDir: await tempDir(),
      org: sampleOrg(),
      adminToken: ADMIN_TOKEN,
    });
    const deviceId = await enrol(portal.url);
    await upload(portal.url, deviceId, { id: reportId(1) });
    for (const path of ['/reports', `/reports/${deviceId}/${reportId(1)}/download`]) {
      for (const authorization of [null, 'Bearer wrong-token']) {
        const answer = await adminReports(portal.url, path, authorization);
        expect(answer.status, `${path} ${authorization}`).toBe(401);
        expect(answer.body.error.code).toBe('UNAUTHORIZED');
        expect(answer.bytes.includes(bundle('default'))).toBe(false);
      }
    }
    const closed = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    expect((await adminReports(closed.url, '/reports')).status).toBe(403);
  });

  it("lists newest first, one Mac's with ?deviceId=, and 404s an unknown report", async () => {
    const portal = await startPortal({
      dataDir: await tempDir(),
      org: sampleOrg(),
      adminToken: ADMIN_TOKEN,
    });
    const eng = await enrol(portal.url);
    const fin = await enrol(portal.url, 'ACME-FIN-0003');
    await upload(portal.url, eng, { id: reportId(1) });
    await upload(portal.url, fin, { id: reportId(2), licenseKey: 'ACME-FIN-0003' });
    await upload(portal.url, eng, { id: reportId(3) });
    const ids = (path: string) =>
      adminReports(portal.url, path).then(({ body }) =>
        body.reports.map((report: { id: string }) => report.id),
      );
    expect(await ids('/reports')).toEqual([3, 2, 1].map(reportId));
    expect(await ids(`/reports?deviceId=${eng}`)).toEqual([3, 1].map(reportId));
    expect((await adminReports(portal.url, '/reports?deviceId=nope')).status).toBe(400);
    // Unknown, another Mac's, and a path that tries to climb out of the reports folder.
    for (const path of [
      `${eng}/${reportId(4)}`,
      `${eng}/${reportId(2)}`,
      `${fin}/${reportId(1)}`,
      `..%2F${fin}/PR-..%2F..%2Fadmin-token`,
    ]) {
      const answer = await adminReports(portal.url, `/reports/${path}/download`);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('REPORT_NOT_FOUND');
    }
  });

  it('keeps the reports of a persistent portal in <dataDir>/reports across a restart', async () => {
    const dataDir = await tempDir();
    const options = { dataDir, org: sampleOrg(), adminToken: ADMIN_TOKEN, persist: true };
    const first = await startPortal(options);
    const deviceId = await enrol(first.url);
    const receipt = await upload(first.url, deviceId, { id: reportId(5), body: bundle('kept') });
    await first.close();
    expect(await readdir(join(dataDir, 'reports'))).toContain(`${deviceId}_${reportId(5)}.tar.gz`);

    const second = await startPortal(options);
    const again = await upload(second.url, deviceId, { id: reportId(5), body: bundle('other') });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(receipt.body);
    const download = await adminReports(second.url, `/reports/${deviceId}/${reportId(5)}/download`);
    expect(download.bytes.equals(bundle('kept'))).toBe(true);
  });

  it('keeps the reports of an in-memory portal in a temp folder of its own, removed on close', async () => {
    const dataDir = await tempDir();
    const app = Fastify();
    const reports = await setupReports(app, { state: new PortalState(), dataDir, persist: false });
    expect(existsSync(reports.dir)).toBe(true);
    expect(reports.dir.startsWith(dataDir)).toBe(false);
    await app.close();
    expect(existsSync(reports.dir)).toBe(false);
    expect(await readdir(dataDir)).toEqual([]);
  });
});
