import { readdir, readlink } from 'node:fs/promises';
import { request } from 'node:http';
import { afterEach } from 'vitest';
import { buildOrgData } from '../../electron/portal/org-builder.ts';
import { parseOrgConfig, type OrgConfig } from '../../electron/portal/org-config.ts';
import {
  startPortal,
  type PortalOptions,
  type RunningPortal,
} from '../../electron/portal/server.ts';

/** A checksum line as `shasum -a 256` prints it. */
export const PASTED_CHECKSUM = `${'ab'.repeat(32)}  /Users/admin/Parallels/Win11.pvmp`;

/** Raw configuration data of a small organisation, fresh on each call. */
export function sampleOrgData(): Record<string, unknown> {
  return buildOrgData({
    checkInIntervalSec: 600,
    primaryKey: 'ACME-PRIMARY-0001',
    sublicenses: [
      { key: 'ACME-ENG-0002', group: { id: 'engineering', name: 'Engineering' } },
      { key: 'ACME-FIN-0003', group: { id: 'finance', name: 'Finance' } },
      { key: 'ACME-OLD-0004', state: 'expired' },
      { key: 'ACME-REV-0005', state: 'revoked' },
      { key: 'ACME-BE-0006' },
    ],
    goldenImages: [
      {
        id: 'win11-dev',
        name: 'ACME Windows 11 for Developers',
        description: 'For the engineers',
        images: { arm64: { url: '/images/win11-arm64.pvmp', checksum: PASTED_CHECKSUM } },
        assignedTo: ['engineering'],
      },
      {
        id: 'win11-all',
        name: 'ACME Windows 11',
        description: '',
        images: {
          arm64: { url: 'https://cdn.example.com/all-arm.pvmp', checksum: 'c1' },
          x86_64: { url: 'https://cdn.example.com/all-x86.pvmp', checksum: 'c2' },
        },
        assignedTo: ['primary'],
      },
    ],
    policies: [
      {
        id: 'strict',
        appliesTo: ['engineering'],
        restrictToCorporateVms: true,
        preventCorporateVmRemoval: true,
      },
    ],
    configurationProfiles: [
      {
        id: 'be-profile',
        appliesToKeys: ['ACME-BE-0006', 'ACME-FIN-0003'],
        vmForMSeriesMac: {
          enabled: true,
          name: 'BE Windows 11 Arm',
          url: 'https://files.example.com/be-arm.zip',
          checksum: 'be-sum',
        },
        vmForIntelMac: { enabled: false },
      },
    ],
  });
}

/** The sample organisation, checked. */
export function sampleOrg(): OrgConfig {
  return parseOrgConfig(sampleOrgData(), 'sample.yaml');
}

/** Starts portals for the current test and closes them after it. */
export function usePortals(): (options: PortalOptions) => Promise<RunningPortal> {
  const running: RunningPortal[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((portal) => portal.close()));
  });
  return async (options) => {
    const portal = await startPortal(options);
    running.push(portal);
    return portal;
  };
}

/** An answer read in full. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** Sends a request with a path exactly as given (no URL normalisation, unlike fetch). */
export function rawRequest(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/`, { ...options, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** How many descriptors this process holds open on a file (Linux only: reads /proc/self/fd). */
export async function openFdsTo(file: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const link = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (link === file) count += 1;
  }
  return count;
}
