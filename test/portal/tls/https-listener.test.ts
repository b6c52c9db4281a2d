import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPortal } from '../../../electron/portal/server.ts';
import { sampleCheckInRequest } from '../../helpers/fake-portal.ts';
import { KEYS, fixtureOrg } from '../../helpers/portal-fixture.ts';
import { AS_ADMIN, httpsCall, type HttpsAnswer, type Trust } from './https-client.ts';
import { useHttpsFixture } from './https-fixture.ts';

const { tempDir, portals, setup } = useHttpsFixture();

const statusOf = (answer: HttpsAnswer) => ('status' in answer ? answer.status : answer.error);

describe('the portal over HTTPS', () => {
  it('listens with a certificate for 127.0.0.1 and localhost, signed by the CA it writes', async () => {
    const { dataDir, portal, caFile } = await setup();
    expect(portal.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(caFile).toBe(join(dataDir, 'tls', 'ca-cert.pem'));
    const ca = new X509Certificate(await readFile(caFile));
    expect(ca.ca).toBe(true);
    const trust: Trust = { caFile };
    expect(statusOf(await httpsCall(`${portal.url}/api/v1/devices`, trust, AS_ADMIN))).toBe(200);
    const viaLocalhost = portal.url.replace('127.0.0.1', 'localhost');
    expect(statusOf(await httpsCall(`${viaLocalhost}/api/v1/devices`, trust, AS_ADMIN))).toBe(200);
    const answer = await httpsCall(`${portal.url}/api/v1/devices`, trust, AS_ADMIN);
    if (!('socket' in answer)) throw new Error(answer.error);
    expect(new X509Certificate(answer.socket.getPeerCertificate().raw).checkIssued(ca)).toBe(true);
  });

  it('is not trusted by a client that only has the system roots', async () => {
    const { portal } = await setup();
    expect(await httpsCall(`${portal.url}/api/v1/devices`, 'system')).toEqual({
      error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });

  it('stays plain HTTP by default, with no CA file', async () => {
    const dataDir = await tempDir();
    const portal = await startPortal({ dataDir, org: fixtureOrg({}), logger: false });
    portals.push(portal);
    expect(portal.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(portal.caCertPath).toBeUndefined();
    expect(existsSync(join(dataDir, 'tls'))).toBe(false);
    // Without an admin token the list is off: a 403 over plain HTTP.
    expect((await fetch(`${portal.url}/api/v1/devices`)).status).toBe(403);
  });

  it('hands out https URLs for the images it hosts', async () => {
    const { portal, caFile, arm } = await setup();
    const answer = await httpsCall(
      `${portal.url}/api/v1/checkin`,
      { caFile },
      {
        method: 'POST',
        body: { ...sampleCheckInRequest, licenseKey: KEYS.eng },
      },
    );
    if (!('body' in answer)) throw new Error(answer.error);
    const { policy } = JSON.parse(answer.body.toString()) as {
      policy: { goldenImage: { url: string } };
    };
    expect(policy.goldenImage.url).toBe(`${portal.url}${arm.path}`);
    expect(statusOf(await httpsCall(policy.goldenImage.url, { caFile }))).toBe(200);
  });

  it('redirects to https URLs, across hosts too', async () => {
    const { portal, caFile, arm } = await setup();
    portal.faults.add({ type: 'redirect', hops: 2, crossHost: true });
    const port = new URL(portal.url).port;
    const first = locationOf(await httpsCall(`${portal.url}${arm.path}`, { caFile }));
    expect(first).toMatch(new RegExp(`^https://localhost:${port}/_provisim/redirect/1-of-2x/`));
    const second = locationOf(await httpsCall(first, { caFile }));
    expect(second).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${port}/`));
    const last = await httpsCall(second, { caFile });
    expect(statusOf(last)).toBe(200);
    expect('body' in last && last.body.length).toBe(arm.sizeBytes);
  });

  it('keeps the down fault: connections refused while it is active, HTTPS again after', async () => {
    const { portal, caFile } = await setup();
    const devices = `${portal.url}/api/v1/devices`;
    const id = portal.faults.add({ type: 'down' });
    expect(await httpsCall(devices, { caFile })).toEqual({ error: 'ECONNREFUSED' });
    portal.faults.remove(id);
    expect(await untilServed(devices, { caFile })).toBe(200);
  });
});

function locationOf(answer: HttpsAnswer): string {
  if (!('status' in answer) || answer.status !== 302) {
    throw new Error(`expected a redirect, got ${statusOf(answer)}`);
  }
  return String(answer.headers.location);
}

// The down switch listens again a few event-loop turns after the fault is removed; each refused
// connection is such a turn, so this asks until it is served (no timers).
async function untilServed(url: string, trust: Trust): Promise<number | string> {
  let last: number | string = 'never asked';
  for (let attempt = 0; attempt < 1_000 && last !== 200; attempt++) {
    last = statusOf(await httpsCall(url, trust, AS_ADMIN));
  }
  return last;
}
