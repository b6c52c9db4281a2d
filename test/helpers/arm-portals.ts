import { afterEach } from 'vitest';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { fixtureOrg, makeFixtureImage, startFixturePortal } from './portal-fixture.ts';

/** Per-test fixture portals serving one arm64 image, each in a folder of its own; all closed after each test. */
export function useArmPortals(tempDir: () => Promise<string>) {
  const portals: RunningPortal[] = [];
  afterEach(async () => {
    await Promise.all(portals.splice(0).map((portal) => portal.close()));
  });
  return async function armPortal(name = 'CLI VM') {
    const dataDir = await tempDir();
    const image = await makeFixtureImage(dataDir, { name, arch: 'arm64' });
    const portal = await startFixturePortal(
      dataDir,
      fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } }),
    );
    portals.push(portal);
    return { portal, image };
  };
}
