import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { AgentEvent } from '../../shared/protocol.ts';
import type { AgentConfig } from '../../electron/agent/agent-config.ts';
import { runNewVmAction, type NewVmActionOptions } from '../../electron/agent/provisioning-job.ts';
import type { OrgConfig } from '../../electron/portal/org-config.ts';
import type { RunningPortal } from '../../electron/portal/server.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
  type EngImages,
} from './portal-fixture.ts';
import { useTempDirs } from './temp-dir.ts';

/** How the fixture images are packed and how their checksum is pasted. */
export interface AgentFixtureOptions {
  readonly format?: 'pvmp' | 'zip';
  readonly gzip?: boolean;
  readonly checksum?: (sha: string) => string;
  /** Builds the organisation from the images (default: fixtureOrg). */
  readonly org?: (images: EngImages) => OrgConfig;
}

/** Options of one fixture run: the job's own, and its config's fields over the fixture's. */
export type RunExtras = Partial<Omit<NewVmActionOptions, 'config'>> & Partial<AgentConfig>;

/** Per-test portals with an arm64 and an x86_64 image, a fresh home, and a run helper; all cleaned up. */
export function useAgentFixture() {
  const tempDir = useTempDirs();
  const portals: RunningPortal[] = [];
  afterEach(async () => {
    await Promise.all(portals.splice(0).map((p) => p.close()));
  });

  async function setup(options: AgentFixtureOptions = {}) {
    const dataDir = await tempDir();
    const home = await tempDir();
    const arm = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64', ...options });
    const intel = await makeFixtureImage(dataDir, {
      name: 'Eng Intel',
      arch: 'x86_64',
      ...options,
    });
    const checksum = options.checksum ?? ((sha: string) => sha);
    const images = {
      arm64: { url: arm.path, checksum: checksum(arm.sha256) },
      x86_64: { url: intel.path, checksum: checksum(intel.sha256) },
    };
    const portal = await startFixturePortal(dataDir, (options.org ?? fixtureOrg)(images));
    portals.push(portal);
    return { dataDir, home, arm, intel, portal };
  }

  /** Starts a New VM action as the engineering group's arm64 Mac; events are collected. */
  function run(portal: RunningPortal, home: string, extra: RunExtras = {}) {
    const events: AgentEvent[] = [];
    const { portalUrl, licenseKey, arch, caFile, proxyUrl, vmDir, ...options } = extra;
    const result = runNewVmAction({
      home,
      config: {
        portalUrl: portalUrl ?? portal.url,
        licenseKey: licenseKey ?? KEYS.eng,
        arch: arch ?? 'arm64',
        caFile,
        proxyUrl,
        vmDir,
      },
      decide: async () => 'accept',
      onEvent: (event) => events.push(event),
      tuning: { minRetryDelayMs: 10, maxRetryDelayMs: 50, stallTimeoutMs: 2_000 },
      ...options,
    });
    return { result, events };
  }

  return { tempDir, portals, setup, run };
}

/** Staging folders and downloads a run left in a home folder with the default VM folder. */
export async function leftovers(home: string): Promise<string[]> {
  const vmDir = join(home, 'Parallels');
  const inVmDir = existsSync(vmDir) ? await readdir(vmDir) : [];
  const downloads = existsSync(join(home, 'downloads'))
    ? await readdir(join(home, 'downloads'))
    : [];
  return [...inVmDir.filter((n) => n.startsWith('.provisim-staging')), ...downloads];
}
