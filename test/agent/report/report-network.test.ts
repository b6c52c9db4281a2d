import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { checkNetwork } from '../../../electron/agent/report/report-network.ts';
import { startPortal, type RunningPortal } from '../../../electron/portal/server.ts';
import { useForwardProxies } from '../../helpers/forward-proxy.ts';
import { fixtureOrg } from '../../helpers/portal-fixture.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { closedPortUrl } from './report-server.ts';

const tempDir = useTempDirs();
const startProxy = useForwardProxies();
const portals: RunningPortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((portal) => portal.close()));
});

async function httpsPortal() {
  const portal = await startPortal({
    dataDir: await tempDir(),
    org: fixtureOrg({}),
    https: true,
    logger: false,
  });
  portals.push(portal);
  return { url: portal.url, caFile: portal.caCertPath! };
}

// No proxy from the shell running the tests.
const env = {};

describe('checkNetwork', () => {
  it("summarises an https portal's chain as trusted with the agent's CA file", async () => {
    const { url, caFile } = await httpsPortal();
    const report = await checkNetwork({ portalUrl: url, caFile }, { env });
    expect(report.portal).toMatchObject({ ok: true, status: expect.any(Number) });
    expect(report.proxy).toEqual({ url: null, source: null, bypassed: false });
    expect(report.tls).toMatchObject({ ok: true, authorized: true, authorizationError: null });
    if (!report.tls.ok) throw new Error('no chain');
    const ca = new X509Certificate(await readFile(caFile));
    const [leaf] = report.tls.chain;
    expect(leaf).toMatchObject({ expired: false, notYetValid: false });
    expect(leaf!.subjectAltName).toContain('127.0.0.1');
    // The leaf is issued by the test CA, whose subject Node prints one field per line.
    expect(leaf!.issuer.split(', ').sort()).toEqual(ca.subject.split('\n').sort());
    expect(report.tls.chain.at(-1)!.fingerprint256).toBe(ca.fingerprint256);
  });

  it('still reads the chain the agent would refuse, and records the portal check as TLS_UNTRUSTED', async () => {
    const { url } = await httpsPortal();
    const report = await checkNetwork({ portalUrl: url }, { env });
    expect(report.tls).toMatchObject({
      ok: true,
      authorized: false,
      authorizationError: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/),
    });
    if (report.tls.ok) expect(report.tls.chain.length).toBeGreaterThan(0);
    expect(report.portal).toMatchObject({ ok: false, error: { code: 'TLS_UNTRUSTED' } });
  });

  it("opens the TLS check through the agent's proxy, password kept out of the report", async () => {
    const { url, caFile } = await httpsPortal();
    const proxy = await startProxy({ user: 'me', password: 'hunter2' });
    const proxyUrl = proxy.urlWith('me', 'hunter2');
    const report = await checkNetwork({ portalUrl: url, caFile, proxyUrl }, { env });
    expect(report.tls).toMatchObject({ ok: true, authorized: true });
    expect(proxy.seen.filter((line) => line === `CONNECT ${new URL(url).host}`)).toHaveLength(2);
    expect(report.proxy).toMatchObject({ url: `${proxy.url.replace('//', '//me@')}/` });
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('records a portal that refuses connections, without throwing', async () => {
    const portalUrl = (await closedPortUrl()).replace('http:', 'https:');
    const report = await checkNetwork({ portalUrl }, { env });
    expect(report.portal).toMatchObject({ ok: false, error: { code: 'PORTAL_UNREACHABLE' } });
    expect(report.tls).toMatchObject({ ok: false, error: { code: 'ECONNREFUSED' } });
  });

  it('records an unusable proxy setting and skips the checks without a portal', async () => {
    const bad = await checkNetwork(
      { portalUrl: 'http://127.0.0.1:1', proxyUrl: 'socks5://me:pw@127.0.0.1:1080' },
      { env },
    );
    expect(bad.proxy).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(JSON.stringify(bad)).not.toContain(':pw@');
    const none = await checkNetwork({}, { env });
    expect(none).toMatchObject({
      portalUrl: null,
      portal: { ok: false, skipped: expect.any(String) },
    });
  });
});
