import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../../electron/agent/agent-store.ts';
import { sendProblemReport } from '../../../electron/agent/report/send-report.ts';
import { REPORT_UPLOADS_PER_HOUR } from '../../../electron/portal/reports/report-route.ts';
import { REPORT_HEADERS } from '../../../shared/protocol.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { enrol } from '../../portal/client-fixtures.ts';
import { sampleOrg, usePortals } from '../../portal/portal-fixtures.ts';
import {
  ENG_KEY,
  bundle,
  reportId,
  uploadUnfinished,
} from '../../portal/reports/report-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();

/** A real portal, and a home whose Mac checked in with it and holds one bundle. */
async function checkedIn() {
  const dataDir = await tempDir();
  const portal = await startPortal({ dataDir, org: sampleOrg(), persist: true });
  const home = await tempDir();
  const deviceId = await enrol(portal.url);
  openAgentStore(home).set('deviceId', deviceId);
  const id = reportId(1);
  const path = join(home, `${id}.tar.gz`);
  await writeFile(path, bundle('kept'));
  const send = () =>
    sendProblemReport({ home, path, id, config: { portalUrl: portal.url, licenseKey: ENG_KEY } });
  return { portal, dataDir, deviceId, send, path };
}

describe('a report the portal cannot take now', () => {
  it(`is REPORT_THROTTLED past ${REPORT_UPLOADS_PER_HOUR} an hour, saying how long to wait and where it is kept`, async () => {
    const { send, path } = await checkedIn();
    for (let n = 1; n <= REPORT_UPLOADS_PER_HOUR; n += 1) await send();
    const refused = await send().catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'REPORT_THROTTLED',
      retryable: true,
      details: { status: 429, retryAfterMs: expect.any(Number) },
    });
    const { message, details } = refused as { message: string; details: { retryAfterMs: number } };
    expect(message).toContain(path);
    expect(message).toContain(`in ${details.retryAfterMs / 1000} seconds`);
  });

  it('is REPORT_IN_PROGRESS while another upload from this Mac is still arriving', async () => {
    const { portal, dataDir, deviceId, send } = await checkedIn();
    const headers = {
      [REPORT_HEADERS.licenseKey]: ENG_KEY,
      [REPORT_HEADERS.reportId]: reportId(2),
    };
    uploadUnfinished(portal.url, deviceId, headers, bundle('slow')).catch(() => undefined);
    const incoming = join(dataDir, 'reports', 'incoming');
    while ((await readdir(incoming).catch(() => [])).length === 0) await new Promise(setImmediate);
    await expect(send()).rejects.toMatchObject({
      code: 'REPORT_IN_PROGRESS',
      retryable: true,
      message: expect.stringMatching(/still receiving another problem report.*send a report again/),
    });
  });
});
