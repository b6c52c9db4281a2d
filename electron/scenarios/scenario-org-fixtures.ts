import type { Arch } from '../../shared/protocol.ts';

/** Names of the built-in organisations a scenario can start its portal with. */
export const ORG_FIXTURES = ['standard', 'arm-only', 'intel-only'] as const;

/** A built-in organisation name. */
export type OrgFixture = (typeof ORG_FIXTURES)[number];

/** License keys every fixture organisation has, by role. */
export const FIXTURE_KEYS = {
  primary: 'QA-PRIMARY-0001',
  // Engineering: the golden image, no restrictions.
  eng: 'QA-ENG-0002',
  // Restricted to corporate VMs, with the golden image.
  strict: 'QA-STRICT-0003',
  expired: 'QA-OLD-0004',
  revoked: 'QA-REV-0005',
  // A group with no golden image and no restrictions.
  free: 'QA-FREE-0006',
  // Restricted to corporate VMs, but no golden image assigned.
  locked: 'QA-LOCKED-0007',
} as const;

/** What a fixture's golden image holds for one architecture, once the image is made. */
export interface HostedImage {
  readonly url: string;
  readonly checksum: string;
}

/** The organisation configuration (unchecked) of a fixture, given its hosted images. */
export function fixtureOrgData(
  fixture: OrgFixture,
  images: Readonly<Record<Arch, HostedImage>>,
): Record<string, unknown> {
  const enabled = (arch: Arch) =>
    fixture === 'standard' || fixture === (arch === 'arm64' ? 'arm-only' : 'intel-only');
  const perArch = (arch: Arch) =>
    enabled(arch) ? { enabled: true, ...images[arch] } : { enabled: false };
  return {
    checkInIntervalSec: 60,
    licenseKeys: [
      { key: FIXTURE_KEYS.primary, kind: 'primary', state: 'active' },
      { key: FIXTURE_KEYS.eng, kind: 'sublicense', state: 'active' },
      { key: FIXTURE_KEYS.strict, kind: 'sublicense', state: 'active' },
      { key: FIXTURE_KEYS.expired, kind: 'sublicense', state: 'expired' },
      { key: FIXTURE_KEYS.revoked, kind: 'sublicense', state: 'revoked' },
      { key: FIXTURE_KEYS.free, kind: 'sublicense', state: 'active' },
      { key: FIXTURE_KEYS.locked, kind: 'sublicense', state: 'active' },
    ],
    userGroups: [
      { id: 'eng', name: 'Engineering', licenseKey: FIXTURE_KEYS.eng },
      { id: 'strict', name: 'Strict', licenseKey: FIXTURE_KEYS.strict },
      { id: 'old', name: 'Contractors', licenseKey: FIXTURE_KEYS.expired },
      { id: 'alumni', name: 'Alumni', licenseKey: FIXTURE_KEYS.revoked },
      { id: 'free', name: 'Free', licenseKey: FIXTURE_KEYS.free },
      { id: 'locked', name: 'Locked', licenseKey: FIXTURE_KEYS.locked },
    ],
    goldenImages: [
      {
        id: 'qa-image',
        name: 'QA Windows 11',
        description: 'The scenario runner made this image.',
        images: { arm64: perArch('arm64'), x86_64: perArch('x86_64') },
        assignedTo: ['eng', 'strict'],
      },
    ],
    policies: [
      { id: 'strict-only', appliesTo: ['strict', 'locked'], restrictToCorporateVms: true },
    ],
  };
}
