import type { Arch } from '../../shared/protocol.ts';
import { buildOrgData, type HostedImage } from '../portal/org-builder.ts';

export type { HostedImage } from '../portal/org-builder.ts';

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

/** The organisation configuration (unchecked) of a fixture, given its hosted images. */
export function fixtureOrgData(
  fixture: OrgFixture,
  images: Readonly<Record<Arch, HostedImage>>,
): Record<string, unknown> {
  const hosted = (arch: Arch) =>
    fixture === 'standard' || fixture === (arch === 'arm64' ? 'arm-only' : 'intel-only')
      ? images[arch]
      : undefined;
  return buildOrgData({
    checkInIntervalSec: 60,
    primaryKey: FIXTURE_KEYS.primary,
    sublicenses: [
      { key: FIXTURE_KEYS.eng, group: { id: 'eng', name: 'Engineering' } },
      { key: FIXTURE_KEYS.strict, group: { id: 'strict', name: 'Strict' } },
      { key: FIXTURE_KEYS.expired, state: 'expired', group: { id: 'old', name: 'Contractors' } },
      { key: FIXTURE_KEYS.revoked, state: 'revoked', group: { id: 'alumni', name: 'Alumni' } },
      { key: FIXTURE_KEYS.free, group: { id: 'free', name: 'Free' } },
      { key: FIXTURE_KEYS.locked, group: { id: 'locked', name: 'Locked' } },
    ],
    goldenImages: [
      {
        id: 'qa-image',
        name: 'QA Windows 11',
        description: 'The scenario runner made this image.',
        images: { arm64: hosted('arm64'), x86_64: hosted('x86_64') },
        assignedTo: ['eng', 'strict'],
      },
    ],
    policies: [
      { id: 'strict-only', appliesTo: ['strict', 'locked'], restrictToCorporateVms: true },
    ],
  });
}
