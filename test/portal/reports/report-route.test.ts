import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_HEADERS, REPORT_MAX_BYTES } from '../../../shared/protocol.ts';
import {
  REPORT_UPLOADS_AT_ONCE,
  REPORT_UPLOADS_PER_HOUR,
} from '../../../electron/portal/reports/report-route.ts';
import { DEFAULT_REPORT_LIMITS } from '../../../electron/portal/reports/report-store.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { ADMIN_TOKEN, enrol } from '../client-fixtures.ts';
import { sampleOrg, usePortals } from '../portal-fixtures.ts';
import {
  ENG_KEY,
  adminReports,
  bundle,
  reportId,
  upload,
  uploadUnfinished,
} from './report-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();

async function portalWithToken(persist = false) {
  const dataDir = await tempDir();
  const portal = await startPortal({ dataDir, org: sampleOrg(), adminToken: ADMIN_TOKEN, persist });
  return { portal, dataDir };
}

async function listed(url: string): Promise<unknown[]> {
  return (await adminReports(url, '/reports')).body.reports;
}

describe('POST /api/v1/devices/:deviceId/reports', () => {
  it('keeps a bundle, lists it and hands back the same bytes', async () => {
    const { portal } = await portalWithToken();
    const deviceId = await enrol(portal.url);
    const body = bundle('the agent log');
    const answer = await upload(portal.url, deviceId, { id: reportId(1), body });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: reportId(1),
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      sizeBytes: body.length,
    });
    expect(await listed(portal.url)).toEqual([
      {
        id: reportId(1),
        deviceId,
        hostname: 'mac-17.acme.test',
        receivedAt: answer.body.receivedAt,
        sizeBytes: body.length,
      },
    ]);
    const download = await adminReports(portal.url, `/reports/${deviceId}/${reportId(1)}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/gzip');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="${reportId(1)}.tar.gz"`,
    );
    expect(download.bytes.equals(body)).toBe(true);
  });

  it('refuses a wrong or missing key and a device that never checked in, keeping nothing', async () => {
    const { portal } = await portalWithToken();
    const deviceId = await enrol(portal.url);
    const answers = [
      await upload(portal.url, deviceId, { id: reportId(1), licenseKey: 'ACME-FIN-0003' }),
      await upload(portal.url, deviceId, { id: reportId(2), licenseKey: undefined }),
      await upload(portal.url, randomUUID(), { id: reportId(3) }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body.error?.code).toBe('DEVICE_KEY_MISMATCH');
    }
    expect(await listed(portal.url)).toEqual([]);
  });

  it('refuses a report ID that is missing or not like PR-<date>-<8 hex digits>', async () => {
    const { portal } = await portalWithToken();
    const deviceId = await enrol(portal.url);
    for (const id of [undefined, 'PR-2025-1', 'PR-20250301-1a2b3c4d', '../PR-20250301-00000001']) {
      const answer = await upload(portal.url, deviceId, { id });
      expect(answer.status, String(id)).toBe(400);
      expect(answer.body.error?.code).toBe('REPORT_INVALID');
    }
    const badDevice = await upload(portal.url, 'not-a-uuid', { id: reportId(1) });
    expect(badDevice.body.error?.code).toBe('BAD_REQUEST');
    expect(await listed(portal.url)).toEqual([]);
  });

  it('refuses a body that is not gzip, or empty, with REPORT_INVALID', async () => {
    const { portal, dataDir } = await portalWithToken(true);
    const deviceId = await enrol(portal.url);
    for (const body of [Buffer.from('PK\x03\x04 a zip, not a tar.gz'), Buffer.from([0x1f])]) {
      const answer = await upload(portal.url, deviceId, { id: reportId(1), body });
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe('REPORT_INVALID');
    }
    const empty = await uploadUnfinished(portal.url, deviceId, {
      [REPORT_HEADERS.licenseKey]: ENG_KEY,
      [REPORT_HEADERS.reportId]: reportId(1),
      'content-length': '0',
    });
    expect(empty).toMatchObject({ status: 400, code: 'REPORT_INVALID' });
    expect(await listed(portal.url)).toEqual([]);
    expect(await readdir(join(dataDir, 'reports', 'incoming'))).toEqual([]);
  });

  it('refuses another content type with 415', async () => {
    const { portal } = await portalWithToken();
    const deviceId = await enrol(portal.url);
    const answer = await upload(portal.url, deviceId, {
      id: reportId(1),
      contentType: 'application/octet-stream',
    });
    expect(answer.status).toBe(415);
    expect(await listed(portal.url)).toEqual([]);
  });

  it('answers 413 to a declared size over the cap before the body is sent', async () => {
    const { portal } = await portalWithToken();
    const deviceId = await enrol(portal.url);
    const answer = await uploadUnfinished(portal.url, deviceId, {
      [REPORT_HEADERS.licenseKey]: ENG_KEY,
      [REPORT_HEADERS.reportId]: reportId(1),
      'content-length': String(REPORT_MAX_BYTES + 1),
    });
    expect(answer).toEqual({ status: 413, code: 'REPORT_TOO_LARGE', connection: 'close' });
    expect(await listed(portal.url)).toEqual([]);
  });

  it('stops reading a streamed body one byte past the cap, and keeps none of it', async () => {
    const { portal, dataDir } = await portalWithToken(true);
    const deviceId = await enrol(portal.url);
    const body = Buffer.alloc(REPORT_MAX_BYTES + 1);
    bundle('start').copy(body);
    const answer = await uploadUnfinished(
      portal.url,
      deviceId,
      { [REPORT_HEADERS.licenseKey]: ENG_KEY, [REPORT_HEADERS.reportId]: reportId(1) },
      body,
    );
    expect(answer).toEqual({ status: 413, code: 'REPORT_TOO_LARGE', connection: 'close' });
    expect(await listed(portal.url)).toEqual([]);
    expect(await readdir(join(dataDir, 'reports'))).toEqual(['incoming']);
    expect(await readdir(join(dataDir, 'reports', 'incoming'))).toEqual([]);
  });

  it('answers a repeated upload with the first receipt and keeps the first bundle', async () => {
    const { portal } = await portalWithToken();
    const deviceId = await enrol(portal.url);
    const first = await upload(portal.url, deviceId, { id: reportId(7), body: bundle('first') });
    const again = await upload(portal.url, deviceId, { id: reportId(7), body: bundle('again!') });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await listed(portal.url)).toHaveLength(1);
    const download = await adminReports(portal.url, `/reports/${deviceId}/${reportId(7)}/download`);
    expect(download.bytes.equals(bundle('first'))).toBe(true);
  });

  it("keeps a report whose ID another Mac's report has as that Mac's own, taking nothing", async () => {
    const { portal } = await portalWithToken();
    const mine = await enrol(portal.url);
    const theirs = await enrol(portal.url, 'ACME-FIN-0003');
    // Whichever Mac sends an ID first, the other's report with it is still kept, and its own.
    const answer = await upload(portal.url, theirs, {
      id: reportId(9),
      licenseKey: 'ACME-FIN-0003',
      body: bundle('theirs'),
    });
    expect(answer.status).toBe(201);
    expect((await upload(portal.url, mine, { id: reportId(9), body: bundle('mine') })).status).toBe(
      201,
    );
    expect(await listed(portal.url)).toHaveLength(2);
    const download = (deviceId: string) =>
      adminReports(portal.url, `/reports/${deviceId}/${reportId(9)}/download`);
    expect((await download(mine)).bytes.equals(bundle('mine'))).toBe(true);
    expect((await download(theirs)).bytes.equals(bundle('theirs'))).toBe(true);
  });

  it('keeps the newest 20 reports of a Mac, dropping the oldest', async () => {
    const { portal, dataDir } = await portalWithToken(true);
    const deviceId = await enrol(portal.url);
    const other = await enrol(portal.url, 'ACME-FIN-0003');
    await upload(portal.url, other, { id: reportId(100), licenseKey: 'ACME-FIN-0003' });
    const count = DEFAULT_REPORT_LIMITS.perDevice + 1;
    for (let n = 1; n <= count; n += 1) {
      const answer = await upload(portal.url, deviceId, { id: reportId(n), body: bundle(`${n}`) });
      expect(answer.status).toBe(201);
    }
    const own = (await adminReports(portal.url, `/reports?deviceId=${deviceId}`)).body.reports;
    const ids = own.map((report: { id: string }) => report.id);
    expect(ids).toHaveLength(DEFAULT_REPORT_LIMITS.perDevice);
    expect(ids[0]).toBe(reportId(count));
    expect(ids).not.toContain(reportId(1));
    expect(await listed(portal.url)).toHaveLength(DEFAULT_REPORT_LIMITS.perDevice + 1);
    const gone = await adminReports(portal.url, `/reports/${deviceId}/${reportId(1)}/download`);
    expect(gone.body.error.code).toBe('REPORT_NOT_FOUND');
    const files = await readdir(join(dataDir, 'reports'));
    expect(files.filter((name) => name.startsWith(deviceId))).toHaveLength(20);
  });

  it(`answers 429 with Retry-After past ${REPORT_UPLOADS_PER_HOUR} uploads of a Mac in an hour`, async () => {
    const { portal } = await portalWithToken();
    const deviceId = await enrol(portal.url);
    for (let n = 1; n <= REPORT_UPLOADS_PER_HOUR; n += 1) {
      expect((await upload(portal.url, deviceId, { id: reportId(1) })).status).toBeLessThan(300);
    }
    const answer = await upload(portal.url, deviceId, { id: reportId(2) });
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(60);
    // Another Mac is not held back by this one.
    const other = await enrol(portal.url);
    expect((await upload(portal.url, other, { id: reportId(3) })).status).toBe(201);
  });

  it('refuses a second upload from a Mac while its first is still arriving', async () => {
    const { portal, dataDir } = await portalWithToken(true);
    const deviceId = await enrol(portal.url);
    const headers = {
      [REPORT_HEADERS.licenseKey]: ENG_KEY,
      [REPORT_HEADERS.reportId]: reportId(1),
    };
    // Never finished: the portal's close at the end of the test cuts it off.
    const first = uploadUnfinished(portal.url, deviceId, headers, bundle('slow'));
    first.catch(() => undefined);
    // The first upload's part file shows that the portal is receiving it.
    const incoming = join(dataDir, 'reports', 'incoming');
    const parts = () => readdir(incoming).catch(() => []);
    while ((await parts()).length === 0) await new Promise(setImmediate);
    const second = await upload(portal.url, deviceId, { id: reportId(2) });
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe('REPORT_IN_PROGRESS');
  });

  it(`answers 429 while ${REPORT_UPLOADS_AT_ONCE} uploads from other Macs are still arriving`, async () => {
    const { portal, dataDir } = await portalWithToken(true);
    const incoming = join(dataDir, 'reports', 'incoming');
    const parts = () => readdir(incoming).catch(() => []);
    for (let n = 1; n <= REPORT_UPLOADS_AT_ONCE; n += 1) {
      const deviceId = await enrol(portal.url);
      const headers = {
        [REPORT_HEADERS.licenseKey]: ENG_KEY,
        [REPORT_HEADERS.reportId]: reportId(n),
      };
      uploadUnfinished(portal.url, deviceId, headers, bundle('slow')).catch(() => undefined);
      while ((await parts()).length < n) await new Promise(setImmediate);
    }
    const late = await upload(portal.url, await enrol(portal.url), { id: reportId(99) });
    expect(late.status).toBe(429);
    expect(late.body.error?.code).toBe('REPORT_THROTTLED');
    expect(Number(late.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
