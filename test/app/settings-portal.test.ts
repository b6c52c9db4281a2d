import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { createProxy } from 'proxy';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningPortal } from '../../electron/portal/server.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { errorOf, invoke, useAppFixture, valueOf } from './app-fixture.ts';

const { start, tempDir } = useAppFixture();
const portals: RunningPortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((portal) => portal.close()));
});

async function externalPortal(): Promise<RunningPortal> {
  const dataDir = await tempDir();
  const image = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
  const portal = await startFixturePortal(
    dataDir,
    fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } }),
  );
  portals.push(portal);
  return portal;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('saving the portal and folders', () => {
  it('switches to an external portal, stopping the embedded one, and back', async () => {
    const { service } = await start();
    const external = await externalPortal();
    const base = service.state().settings;
    const saved = valueOf(
      await invoke(service, 'settings:save', {
        ...base,
        portalUrl: external.url,
        licenseKey: KEYS.eng,
        checkInIntervalSec: 60,
      }),
    );
    expect(saved).toMatchObject({ portalUrl: external.url, checkInIntervalSec: 60 });
    expect(service.embeddedPortal()).toBeUndefined();
    const state = valueOf(await invoke(service, 'state:get'));
    expect(state.agent).toMatchObject({
      embeddedPortal: false,
      portalUrl: external.url,
      checkInIntervalSec: 60,
    });
    expect(external.state.devices()).toHaveLength(1);

    valueOf(
      await invoke(service, 'settings:save', {
        ...saved,
        portalUrl: null,
        licenseKey: base.licenseKey,
      }),
    );
    expect(service.embeddedPortal()).toBeDefined();
    expect(valueOf(await invoke(service, 'state:get')).agent.embeddedPortal).toBe(true);
  });

  it('saves nothing when the new portal cannot be reached', async () => {
    const { service } = await start();
    const base = service.state().settings;
    const result = await invoke(service, 'settings:save', {
      ...base,
      portalUrl: await closedPortUrl(),
    });
    expect(errorOf(result)).toMatchObject({ code: 'PORTAL_UNREACHABLE', retryable: true });
    expect(service.state().settings).toEqual(base);
    expect(service.embeddedPortal()).toBeDefined();
  });

  it('puts new VMs in the VM folder saved, without a new activation', async () => {
    const { service } = await start();
    const vmDir = join(await tempDir(), 'My VMs');
    valueOf(await invoke(service, 'settings:save', { ...service.state().settings, vmDir }));
    const vm = valueOf(
      await invoke(service, 'assistant:create-vm', {
        os: 'debian-12',
        name: 'Elsewhere',
        cpus: 1,
        memoryMb: 1024,
        diskSizeBytes: 2 ** 20,
      }),
    );
    expect(vm.path).toBe(join(vmDir, 'Elsewhere.pvm'));
  });

  it('activates through the proxy saved, and refuses a proxy that cannot be reached', async () => {
    const { service } = await start();
    const external = await externalPortal();
    const proxy = createProxy(createHttpServer());
    const tunnels: string[] = [];
    proxy.on('connect', (request) => tunnels.push(String(request.url)));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const base = service.state().settings;
      const target = { ...base, portalUrl: external.url, licenseKey: KEYS.eng };
      const refused = await invoke(service, 'settings:save', {
        ...target,
        proxyUrl: await closedPortUrl(),
      });
      expect(errorOf(refused).code).toBe('PROXY_UNREACHABLE');
      expect(tunnels).toEqual([]);
      valueOf(await invoke(service, 'settings:save', { ...target, proxyUrl }));
      expect(tunnels).toContain(new URL(external.url).host);
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });
});
