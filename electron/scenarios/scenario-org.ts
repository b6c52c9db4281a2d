import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ARCHES, type Arch } from '../../shared/protocol.ts';
import { makeImage } from '../archive/make-image.ts';
import { parseOrgConfig } from '../portal/org-config.ts';
import type { OrgConfig } from '../portal/org-config-schema.ts';
import { fixtureOrgSchema, type ScenarioOrg } from './scenario-schema.ts';
import { fixtureOrgData, type HostedImage } from './scenario-org-fixtures.ts';

/** Disk data per generated image unless the scenario says otherwise. */
export const DEFAULT_SCENARIO_IMAGE_BYTES = 1024 * 1024;

/** A scenario's organisation, ready for the portal, and the size of its images. */
export interface PreparedOrg {
  readonly org: OrgConfig;
  /** Archive size of the generated image of each architecture. */
  readonly archiveBytes: Readonly<Record<Arch, number>>;
}

// In an inline organisation, `$image:arm64` stands for the hosted URL and `$sha256:arm64` for
// its checksum line, since neither is known before the runner makes the image.
const PLACEHOLDER = /^\$(image|sha256):(arm64|x86_64)$/;

/** Makes one image per architecture in `<dataDir>/images` and builds the organisation. */
export async function prepareScenarioOrg(
  spec: ScenarioOrg,
  dataDir: string,
  file: string,
): Promise<PreparedOrg> {
  const fixture = fixtureOrgSchema.safeParse(spec).data;
  const hosted = {} as Record<Arch, HostedImage>;
  const archiveBytes = {} as Record<Arch, number>;
  for (const arch of ARCHES) {
    const made = await makeImage({
      name: arch === 'arm64' ? 'QA Windows 11 ARM' : 'QA Windows 11 Intel',
      arch,
      sizeBytes: fixture?.imageBytes ?? DEFAULT_SCENARIO_IMAGE_BYTES,
      format: fixture?.format ?? 'pvmp',
      outDir: join(dataDir, 'images', arch),
      seed: `scenario:${arch}`,
    });
    const checksum = (await readFile(made.sha256Path, 'utf8')).trim();
    const url = `/images/${arch}/${encodeURIComponent(basename(made.archivePath))}`;
    hosted[arch] = { url, checksum };
    archiveBytes[arch] = made.sizeBytes;
  }
  const data = fixture ? fixtureOrgData(fixture.fixture, hosted) : substitute(spec, hosted);
  return { org: parseOrgConfig(data, `${file} (org)`), archiveBytes };
}

function substitute(value: unknown, hosted: Readonly<Record<Arch, HostedImage>>): unknown {
  if (typeof value === 'string') {
    const match = PLACEHOLDER.exec(value);
    if (!match) return value;
    const image = hosted[match[2] as Arch];
    return match[1] === 'image' ? image.url : image.checksum;
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, hosted));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitute(item, hosted)]),
    );
  }
  return value;
}
