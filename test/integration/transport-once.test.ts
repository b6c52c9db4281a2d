import type * as FsModule from 'node:fs';
import type * as HpagentModule from 'hpagent';
import { describe, expect, it, vi } from 'vitest';
import type { AgentConfig } from '../../electron/agent/agent-config.ts';
import { AgentService } from '../../electron/agent/agent-service.ts';
import { startPortal } from '../../electron/portal/server.ts';
import { useAgentFixture } from '../helpers/agent-fixture.ts';
import { useForwardProxies } from '../helpers/forward-proxy.ts';
import { KEYS, fixtureOrg, makeFixtureImage } from '../helpers/portal-fixture.ts';

// Counts what the agent does, and still does it: reads go to the real fs, agents are hpagent's.
const counted = vi.hoisted(() => ({ caReads: 0, agents: 0, caFile: '' }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof FsModule>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    if (path === counted.caFile) counted.caReads += 1;
    return (fs.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});
vi.mock('hpagent', async (importOriginal) => {
  const hpagent = await importOriginal<typeof HpagentModule>();
  class HttpProxyAgent extends hpagent.HttpProxyAgent {
    constructor(...args: ConstructorParameters<typeof hpagent.HttpProxyAgent>) {
      super(...args);
      counted.agents += 1;
    }
  }
  class HttpsProxyAgent extends hpagent.HttpsProxyAgent {
    constructor(...args: ConstructorParameters<typeof hpagent.HttpsProxyAgent>) {
      super(...args);
      counted.agents += 1;
    }
  }
  return { ...hpagent, HttpProxyAgent, HttpsProxyAgent };
});

const { run, tempDir, portals } = useAgentFixture();
const startProxy = useForwardProxies();

describe('one transport per run', () => {
  it('reads the CA file once and builds the proxy agents once, across check-in, retries and events', async () => {
    const dataDir = await tempDir();
    const arm = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
    const org = fixtureOrg({ arm64: { url: arm.path, checksum: arm.sha256 } });
    const portal = await startPortal({ dataDir, org, https: true });
    portals.push(portal);
    // The first image request breaks halfway: a second attempt must reuse the same transport.
    portal.faults.add({
      type: 'reset_peer',
      afterBytes: Math.floor(arm.sizeBytes / 2),
      scope: { paths: ['/images/*'], attempts: { first: 1 } },
    });
    const proxy = await startProxy();
    counted.caFile = portal.caCertPath!;
    counted.caReads = 0;
    counted.agents = 0;

    const { result, events } = run(portal, await tempDir(), {
      caFile: portal.caCertPath,
      proxyUrl: proxy.url,
    });

    expect((await result).outcome).toBe('registered');
    expect(events.filter((e) => e.type === 'download-retrying')).toHaveLength(1);
    expect(counted.caReads).toBe(1);
    // One pair for the run: the proxy tunnels both http: and https: targets.
    expect(counted.agents).toBe(2);
  });

  it('keeps one transport per config in the agent service, across check-ins, until the config changes', async () => {
    const dataDir = await tempDir();
    const portal = await startPortal({ dataDir, org: fixtureOrg({}), https: true });
    portals.push(portal);
    const proxy = await startProxy();
    counted.caFile = portal.caCertPath!;
    counted.caReads = 0;
    counted.agents = 0;
    let licenseKey: string = KEYS.eng;
    const config = async (): Promise<AgentConfig> => ({
      portalUrl: portal.url,
      licenseKey,
      caFile: portal.caCertPath,
      proxyUrl: proxy.url,
    });
    const service = new AgentService({ home: await tempDir(), config });
    try {
      await service.checkInNow();
      await service.checkInNow();
      await service.checkInNow();
      expect(counted.caReads).toBe(1);
      expect(counted.agents).toBe(2);
      // Another key is another config: one new transport for it, then that one is kept.
      licenseKey = KEYS.primary;
      await service.checkInNow();
      await service.checkInNow();
      expect(counted.caReads).toBe(2);
      expect(counted.agents).toBe(4);
    } finally {
      await service.stop();
    }
  });
});
