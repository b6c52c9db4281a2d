import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch } from '../../shared/protocol.ts';
import { makeImage } from '../archive/make-image.ts';
import { buildOrgData, type HostedImage } from './org-builder.ts';
import { parseOrgConfig, type OrgConfig } from './org-config.ts';

/** License keys of the demo organisation. */
export const DEMO_LICENSE_KEYS = {
  primary: 'ACME-PRIMARY-0001',
  engineering: 'ACME-ENG-0002',
  finance: 'ACME-FIN-0003',
  expired: 'ACME-OLD-0004',
  revoked: 'ACME-REV-0005',
} as const;

/** Disk data size of the demo images unless asked otherwise. */
export const DEFAULT_DEMO_IMAGE_BYTES = 64 * 1024 * 1024;

// Bump when makeImage's output changes so cached demo images are made again.
const IMAGE_MAKER_VERSION = 1;

interface DemoImageSpec {
  readonly name: string;
  readonly arch: Arch;
  readonly format: 'pvmp' | 'zip';
}

/** The demo organisation and the license key its demo agent uses. */
export interface DemoOrg {
  readonly org: OrgConfig;
  readonly agentLicenseKey: string;
}

/** Builds the demo organisation, generating its images in `<dataDir>/images` unless cached. */
export async function prepareDemoOrg(options: {
  dataDir: string;
  sizeBytes?: number;
}): Promise<DemoOrg> {
  const sizeBytes = options.sizeBytes ?? DEFAULT_DEMO_IMAGE_BYTES;
  const hosted = (spec: DemoImageSpec) => cachedImage(options.dataDir, spec, sizeBytes);
  const data = buildOrgData({
    checkInIntervalSec: 300,
    primaryKey: DEMO_LICENSE_KEYS.primary,
    sublicenses: [
      { key: DEMO_LICENSE_KEYS.engineering, group: { id: 'engineering', name: 'Engineering' } },
      { key: DEMO_LICENSE_KEYS.finance, group: { id: 'finance', name: 'Finance' } },
      {
        key: DEMO_LICENSE_KEYS.expired,
        state: 'expired',
        group: { id: 'contractors', name: 'Contractors' },
      },
      { key: DEMO_LICENSE_KEYS.revoked, state: 'revoked', group: { id: 'alumni', name: 'Alumni' } },
    ],
    goldenImages: [
      {
        id: 'acme-dev-win11',
        name: 'ACME Windows 11 for Developers',
        description: 'Visual Studio, Git and the VPN client are installed.',
        images: {
          arm64: await hosted({ name: 'ACME Dev Win11 ARM', arch: 'arm64', format: 'pvmp' }),
          x86_64: await hosted({ name: 'ACME Dev Win11 Intel', arch: 'x86_64', format: 'pvmp' }),
        },
        assignedTo: ['engineering'],
      },
      {
        id: 'acme-finance-win11',
        name: 'ACME Windows 11 for Finance',
        description: 'Excel for Windows and the accounting suite. Connect to the VPN first.',
        images: {
          arm64: await hosted({ name: 'ACME Finance ARM', arch: 'arm64', format: 'zip' }),
          x86_64: await hosted({ name: 'ACME Finance Intel', arch: 'x86_64', format: 'zip' }),
        },
        assignedTo: ['finance'],
      },
    ],
    policies: [
      {
        id: 'finance-corporate-only',
        appliesTo: ['finance'],
        restrictToCorporateVms: true,
        oneCorporateVmPerUser: true,
        preventCorporateVmRemoval: true,
      },
    ],
  });
  const org = parseOrgConfig(data, 'demo organisation');
  return { org, agentLicenseKey: DEMO_LICENSE_KEYS.engineering };
}

async function cachedImage(
  dataDir: string,
  spec: DemoImageSpec,
  sizeBytes: number,
): Promise<HostedImage> {
  const key = createHash('sha256')
    .update(JSON.stringify({ ...spec, sizeBytes, version: IMAGE_MAKER_VERSION }))
    .digest('hex')
    .slice(0, 16);
  const folder = `demo-${key}`;
  const outDir = join(dataDir, 'images', folder);
  let made = await findMade(outDir);
  if (!made) {
    const result = await makeImage({ ...spec, sizeBytes, outDir, seed: `demo:${spec.name}` });
    made = { archive: result.archivePath.split(/[\\/]/).pop()!, shaFile: result.sha256Path };
  }
  // The checksum is what an admin pastes: the whole line of the .sha256.txt file.
  const checksum = (await readFile(made.shaFile, 'utf8')).trim();
  return { url: `/images/${folder}/${encodeURIComponent(made.archive)}`, checksum };
}

async function findMade(outDir: string): Promise<{ archive: string; shaFile: string } | undefined> {
  if (!existsSync(outDir)) return undefined;
  const names = await readdir(outDir);
  const shaName = names.find((n) => n.endsWith('.sha256.txt'));
  const archive = names.find((n) => n.endsWith('.pvmp') || n.endsWith('.zip'));
  return shaName && archive ? { archive, shaFile: join(outDir, shaName) } : undefined;
}
