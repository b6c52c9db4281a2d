import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy, type ProxyServer } from 'proxy';
import { afterEach, describe, expect, it } from 'vitest';
import { startPortal } from '../../electron/portal/server.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { useAgentFixture } from '../helpers/agent-fixture.ts';
import { fixtureOrg, makeFixtureImage } from '../helpers/portal-fixture.ts';

const { setup, run, tempDir, portals } = useAgentFixture();
const proxies: ProxyServer[] = [];

afterEach(async () => {
  for (const proxy of proxies.splice(0)) {
    proxy.closeAllConnections();
    proxy.close();
  }
});

/** A real forward proxy on loopback that records what went through it. */
async function startProxy() {
  const proxy = createProxy(createServer());
  const seen: string[] = [];
  proxy.on('request', (request) => seen.push(`${request.method} ${request.url}`));
  proxy.on('connect', (request) => seen.push(`CONNECT ${request.url}`));
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  proxies.push(proxy);
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, seen };
}

describe('the agent behind an HTTP proxy', () => {
  it('sends the check-in, the image and the events through the proxy and remembers it', async () => {
    const { home, portal } = await setup();
    const proxy = await startProxy();
    const { result } = run(portal, home, { proxyUrl: proxy.url });
    expect((await result).outcome).toBe('registered');
    // hpagent tunnels plain HTTP with CONNECT too: one tunnel per request (no keep-alive).
    const host = new URL(portal.url).host;
    expect(proxy.seen.filter((line) => line === `CONNECT ${host}`).length).toBeGreaterThanOrEqual(
      2,
    );
    expect(proxy.seen.every((line) => line === `CONNECT ${host}`)).toBe(true);
    expect(openAgentStore(home).get('proxyUrl')).toBe(proxy.url);
  });

  it('tunnels HTTPS with CONNECT and still verifies the portal certificate', async () => {
    const dataDir = await tempDir();
    const home = await tempDir();
    const arm = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
    const org = fixtureOrg({ arm64: { url: arm.path, checksum: arm.sha256 } });
    const portal = await startPortal({ dataDir, org, https: true });
    portals.push(portal);
    const proxy = await startProxy();
    const host = new URL(portal.url).host;
    const trusted = run(portal, home, { proxyUrl: proxy.url, caFile: portal.caCertPath });
    expect((await trusted.result).outcome).toBe('registered');
    expect(proxy.seen).toContain(`CONNECT ${host}`);
    const otherHome = await tempDir();
    const untrusted = run(portal, otherHome, { proxyUrl: proxy.url });
    expect(await untrusted.result).toMatchObject({
      outcome: 'failed',
      error: { code: 'TLS_UNTRUSTED' },
    });
  });

  it('reports an unreachable proxy as an unreachable portal, and refuses a proxy that is no URL', async () => {
    const { home, portal } = await setup();
    const proxy = await startProxy();
    const deadUrl = proxy.url;
    proxy.seen.length = 0;
    proxies.splice(0).forEach((p) => p.close());
    const dead = run(portal, home, { proxyUrl: deadUrl });
    expect(await dead.result).toMatchObject({
      outcome: 'failed',
      error: { code: 'PORTAL_UNREACHABLE' },
    });
    const bad = run(portal, await tempDir(), { proxyUrl: 'socks5://127.0.0.1:1080' });
    expect(await bad.result).toMatchObject({ outcome: 'failed', error: { code: 'USAGE' } });
  });
});
