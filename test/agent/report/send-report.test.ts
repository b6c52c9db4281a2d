import { randomUUID } from 'node:crypto';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_MAX_BYTES } from '../../../shared/protocol.ts';
import { openAgentStore } from '../../../electron/agent/agent-store.ts';
import { sendProblemReport } from '../../../electron/agent/report/send-report.ts';
import { createTransport } from '../../../electron/agent/transport.ts';
import { useForwardProxies } from '../../helpers/forward-proxy.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { closedPortUrl, receiptFor, useReportServers } from './report-server.ts';

const tempDir = useTempDirs();
const startServer = useReportServers();
const startProxy = useForwardProxies();
const KEY = 'ACME-ENG-0002';
const ID = 'PR-20250102-0A1B2C3D';

/** A home that checked in (it has a device id) and a small bundle file in it. */
async function checkedInHome() {
  const home = await tempDir();
  const deviceId = randomUUID();
  openAgentStore(home).set('deviceId', deviceId);
  const path = join(home, `${ID}.tar.gz`);
  await writeFile(path, Buffer.from('not really gzip, the test server does not care'));
  return { home, deviceId, path };
}

const apiError = (status: number, code: string) => () => ({
  status,
  body: { error: { code, message: `the portal says ${code}` } },
});

describe('sendProblemReport', () => {
  it('POSTs the bundle as application/gzip with the key and ID headers, and returns the receipt', async () => {
    const server = await startServer(receiptFor);
    const { home, deviceId, path } = await checkedInHome();
    const config = { portalUrl: server.url, licenseKey: KEY };
    const receipt = await sendProblemReport({ home, config, path, id: ID });
    expect(receipt).toMatchObject({ id: ID, sizeBytes: 46 });
    const [upload] = server.received;
    expect(upload).toMatchObject({
      method: 'POST',
      url: `/api/v1/devices/${deviceId}/reports`,
      headers: {
        'content-type': 'application/gzip',
        'x-provisim-license-key': KEY,
        'x-provisim-report-id': ID,
      },
    });
    expect(upload!.body.toString()).toBe('not really gzip, the test server does not care');
  });

  it("goes through the agent's proxy when the transport has one", async () => {
    const server = await startServer(receiptFor);
    const proxy = await startProxy();
    const { home, path } = await checkedInHome();
    const config = { portalUrl: server.url, licenseKey: KEY, proxyUrl: proxy.url };
    const transport = createTransport(config);
    await sendProblemReport({ home, config, transport, path, id: ID });
    // Every request is tunnelled with CONNECT, plain http too (see proxy-agents.ts).
    expect(proxy.seen).toEqual([`CONNECT ${new URL(server.url).host}`]);
    expect(server.received).toHaveLength(1);
  });

  it.each([
    [413, 'REPORT_TOO_LARGE'],
    [400, 'REPORT_INVALID'],
    [403, 'DEVICE_KEY_MISMATCH'],
    [403, 'LICENSE_REVOKED'],
  ])('turns a %i %s answer into that error code', async (status, code) => {
    const server = await startServer(apiError(status, code));
    const { home, path } = await checkedInHome();
    const config = { portalUrl: server.url, licenseKey: KEY };
    await expect(sendProblemReport({ home, config, path, id: ID })).rejects.toMatchObject({ code });
  });

  it('takes a bare 413 (a proxy in front of the portal) as REPORT_TOO_LARGE', async () => {
    const server = await startServer(() => ({ status: 413, body: 'too big' }));
    const { home, path } = await checkedInHome();
    const config = { portalUrl: server.url, licenseKey: KEY };
    await expect(sendProblemReport({ home, config, path, id: ID })).rejects.toMatchObject({
      code: 'REPORT_TOO_LARGE',
    });
  });

  it('refuses a 201 that is not a receipt as PORTAL_UNREACHABLE', async () => {
    const server = await startServer(() => ({ status: 201, body: { ok: true } }));
    const { home, path } = await checkedInHome();
    const config = { portalUrl: server.url, licenseKey: KEY };
    await expect(sendProblemReport({ home, config, path, id: ID })).rejects.toMatchObject({
      code: 'PORTAL_UNREACHABLE',
    });
  });

  it('reports a refused connection as PORTAL_UNREACHABLE naming the portal', async () => {
    const portalUrl = await closedPortUrl();
    const { home, path } = await checkedInHome();
    const error = sendProblemReport({ home, config: { portalUrl, licenseKey: KEY }, path, id: ID });
    await expect(error).rejects.toMatchObject({ code: 'PORTAL_UNREACHABLE' });
    await expect(error).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses a bundle over the limit before sending a byte', async () => {
    const server = await startServer(receiptFor);
    const { home, path } = await checkedInHome();
    await truncate(path, REPORT_MAX_BYTES + 1);
    const config = { portalUrl: server.url, licenseKey: KEY };
    await expect(sendProblemReport({ home, config, path, id: ID })).rejects.toMatchObject({
      code: 'REPORT_TOO_LARGE',
    });
    expect(server.received).toEqual([]);
  });

  it('refuses a home that never checked in (no device id) with NOT_CONFIGURED', async () => {
    const server = await startServer(receiptFor);
    const home = await tempDir();
    const path = join(home, `${ID}.tar.gz`);
    await writeFile(path, 'x');
    const config = { portalUrl: server.url, licenseKey: KEY };
    await expect(sendProblemReport({ home, config, path, id: ID })).rejects.toMatchObject({
      code: 'NOT_CONFIGURED',
    });
    expect(server.received).toEqual([]);
  });
});
