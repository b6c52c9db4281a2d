import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPortal } from '../../electron/portal/server.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { closeLoggers } from '../../electron/agent/logger.ts';
import { useAgentFixture } from '../helpers/agent-fixture.ts';
import { useForwardProxies } from '../helpers/forward-proxy.ts';
import { fixtureOrg, makeFixtureImage } from '../helpers/portal-fixture.ts';

const { setup, run, tempDir, portals } = useAgentFixture();
const startProxy = useForwardProxies();
const PASSWORD = 'S3cret:p@ss/w0rd';

/** Everything the run left in the logs folder. */
async function logsOf(home: string): Promise<string> {
  await closeLoggers();
  const dir = join(home, 'logs');
  const files = await readdir(dir).catch(() => []);
  return (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('');
}

describe('the agent behind an HTTP proxy', () => {
  it('sends the check-in, the image and the events through the proxy, remembering nothing', async () => {
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
    // Remembering the proxy is the command's (test/cli/remembered-settings.test.ts), not the job's.
    expect(openAgentStore(home).get('proxyUrl')).toBeUndefined();
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

  it('names an unreachable proxy as such, and refuses a proxy that is no URL', async () => {
    const { home, portal } = await setup();
    const proxy = await startProxy();
    await proxy.close();
    const dead = run(portal, home, { proxyUrl: proxy.url });
    expect(await dead.result).toMatchObject({
      outcome: 'failed',
      error: {
        code: 'PROXY_UNREACHABLE',
        message: expect.stringContaining(
          `The proxy ${new URL(proxy.url).host} (the proxy setting) cannot be reached (ECONNREFUSED)`,
        ),
      },
    });
    const bad = run(portal, await tempDir(), {
      proxyUrl: `socks5://me:${encodeURIComponent(PASSWORD)}@127.0.0.1:1080`,
    });
    const refused = await bad.result;
    expect(refused).toMatchObject({ outcome: 'failed', error: { code: 'USAGE' } });
    expect(refused.error?.message).toContain('socks5://me:****@127.0.0.1:1080');
  });

  it('signs in with the user name and password in the proxy URL, and never logs the password', async () => {
    const { home, portal } = await setup();
    const proxy = await startProxy({ user: 'agent', password: PASSWORD });
    const { result } = run(portal, home, { proxyUrl: proxy.urlWith('agent', PASSWORD) });
    expect((await result).outcome).toBe('registered');
    const basic = `Basic ${Buffer.from(`agent:${PASSWORD}`).toString('base64')}`;
    expect(proxy.credentials.length).toBeGreaterThanOrEqual(2);
    expect(proxy.credentials.every((header) => header === basic)).toBe(true);
    expect(await logsOf(home)).not.toContain(encodeURIComponent(PASSWORD));
  });

  it('reports PROXY_AUTH_REQUIRED for a 407, with or without wrong credentials, password unsaid', async () => {
    const { home, portal } = await setup();
    const proxy = await startProxy({ user: 'agent', password: PASSWORD });
    const host = new URL(proxy.url).host;
    const anonymous = await run(portal, home, { proxyUrl: proxy.url }).result;
    expect(anonymous).toMatchObject({
      outcome: 'failed',
      error: {
        code: 'PROXY_AUTH_REQUIRED',
        message: expect.stringContaining(`like http://user:password@${host}`),
      },
    });
    // Asked once: a proxy that wants credentials does not change its mind on a retry.
    expect(proxy.seen).toHaveLength(1);
    const wrong = await run(portal, home, { proxyUrl: proxy.urlWith('agent', 'not-it') }).result;
    expect(wrong).toMatchObject({
      outcome: 'failed',
      error: {
        code: 'PROXY_AUTH_REQUIRED',
        message: expect.stringContaining('refused the user name and password in its URL (407'),
      },
    });
    expect(JSON.stringify(wrong)).not.toContain('not-it');
    expect(await logsOf(home)).not.toContain('not-it');
  });

  it('reports PROXY_TUNNEL_REFUSED when the proxy answers CONNECT with an error', async () => {
    const { home, portal } = await setup();
    const target = new URL(portal.url).host;
    const refusing = await startProxy({ refuseWith: 403 });
    const forbidden = await run(portal, home, { proxyUrl: refusing.url }).result;
    expect(forbidden).toMatchObject({
      outcome: 'failed',
      error: {
        code: 'PROXY_TUNNEL_REFUSED',
        message: expect.stringContaining(`to ${target} (it answered 403 to CONNECT)`),
      },
    });
    // The proxy package answers 500 when the server behind it is down.
    await Promise.all(portals.splice(0).map((p) => p.close()));
    const proxy = await startProxy();
    const down = await run(portal, home, { proxyUrl: proxy.url }).result;
    expect(down).toMatchObject({
      outcome: 'failed',
      error: {
        code: 'PROXY_TUNNEL_REFUSED',
        message: expect.stringContaining('The server may be down'),
      },
    });
  });
});
