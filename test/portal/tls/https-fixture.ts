import { startPortal, type PortalOptions } from '../../../electron/portal/server.ts';
import { useAgentFixture } from '../../helpers/agent-fixture.ts';
import { fixtureOrg, makeFixtureImage } from '../../helpers/portal-fixture.ts';
import { ADMIN_TOKEN } from './https-client.ts';

/** The agent fixture with HTTPS portals that serve the engineering arm64 image; all cleaned up. */
export function useHttpsFixture() {
  const fixture = useAgentFixture();

  /** Starts an HTTPS portal (admin token ADMIN_TOKEN) and a fresh agent home. */
  async function setup(extra: Partial<PortalOptions> = {}) {
    const dataDir = await fixture.tempDir();
    const home = await fixture.tempDir();
    const arm = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
    const portal = await startPortal({
      dataDir,
      org: fixtureOrg({ arm64: { url: arm.path, checksum: arm.sha256 } }),
      logger: false,
      https: true,
      adminToken: ADMIN_TOKEN,
      ...extra,
    });
    fixture.portals.push(portal);
    if (portal.caCertPath === undefined) throw new Error('An HTTPS portal must have a CA file.');
    return { dataDir, home, arm, portal, caFile: portal.caCertPath };
  }

  return { ...fixture, setup };
}
