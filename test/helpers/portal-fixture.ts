import { basename } from 'node:path';
import type { Arch } from '../../shared/protocol.ts';
import { makeImage } from '../../electron/archive/make-image.ts';
import type { PackResult } from '../../electron/archive/pack-vm.ts';
import { buildOrgData, type GoldenImageSpec } from '../../electron/portal/org-builder.ts';
import { parseOrgConfig, type OrgConfig } from '../../electron/portal/org-config.ts';
import { startPortal, type RunningPortal } from '../../electron/portal/server.ts';

/** License keys every fixture organisation has. */
export const KEYS = {
  primary: 'TEST-PRIMARY-0001',
  eng: 'TEST-ENG-0002',
  strict: 'TEST-STRICT-0003',
  expired: 'TEST-OLD-0004',
  revoked: 'TEST-REV-0005',
} as const;

/** A synthetic image made for a test, with the URL path the portal serves it at. */
export interface FixtureImage extends PackResult {
  readonly path: string;
}

/** Makes a small deterministic image in `<dataDir>/images`. */
export async function makeFixtureImage(
  dataDir: string,
  options: {
    name: string;
    arch: Arch;
    sizeBytes?: number;
    format?: 'pvmp' | 'zip';
    gzip?: boolean;
    seed?: string;
  },
): Promise<FixtureImage> {
  const made = await makeImage({
    sizeBytes: 256 * 1024,
    seed: 'fixture',
    ...options,
    outDir: `${dataDir}/images`,
  });
  return { ...made, path: `/images/${encodeURIComponent(basename(made.archivePath))}` };
}

/** Per-arch image settings of the engineering golden image; a missing arch is disabled. */
export type EngImages = GoldenImageSpec['images'];

/** An organisation: engineering gets `images`; the strict group is corporate-only with the same images. */
export function fixtureOrg(
  images: EngImages,
  extra: Partial<Record<string, unknown>> = {},
): OrgConfig {
  const data = buildOrgData({
    checkInIntervalSec: 60,
    primaryKey: KEYS.primary,
    sublicenses: [
      { key: KEYS.eng, group: { id: 'eng', name: 'Engineering' } },
      { key: KEYS.strict, group: { id: 'strict', name: 'Strict' } },
      { key: KEYS.expired, state: 'expired' },
      { key: KEYS.revoked, state: 'revoked' },
    ],
    goldenImages: [
      {
        id: 'eng-image',
        name: 'Engineering VM',
        description: 'For the tests',
        images,
        assignedTo: ['eng', 'strict'],
      },
    ],
    policies: [{ id: 'strict-policy', appliesTo: ['strict'], restrictToCorporateVms: true }],
  });
  return parseOrgConfig({ ...data, ...extra }, 'fixture');
}

/** Starts the real portal on 127.0.0.1:0 over `dataDir`; stop it with `close()`. */
export async function startFixturePortal(dataDir: string, org: OrgConfig): Promise<RunningPortal> {
  return startPortal({ dataDir, org, logger: false });
}
