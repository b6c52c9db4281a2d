import { describe, expect, it } from 'vitest';
import { buildOrgData, type OrgSpec } from '../../electron/portal/org-builder.ts';
import { parseOrgConfig } from '../../electron/portal/org-config.ts';

const arm = { url: '/images/arm.pvmp', checksum: `${'ab'.repeat(32)}  arm.pvmp` };

const spec: OrgSpec = {
  checkInIntervalSec: 120,
  primaryKey: 'K-PRIMARY',
  sublicenses: [
    { key: 'K-ENG', group: { id: 'eng', name: 'Engineering' } },
    { key: 'K-OLD', state: 'expired', group: { id: 'old', name: 'Contractors' } },
    { key: 'K-REV', state: 'revoked' },
  ],
  goldenImages: [
    { id: 'img', name: 'Image', description: 'd', images: { arm64: arm }, assignedTo: ['eng'] },
  ],
  policies: [{ id: 'eng-only', appliesTo: ['eng'], restrictToCorporateVms: true }],
};

describe('buildOrgData', () => {
  it('lists the primary key first, then each sublicense in order, active unless told', () => {
    expect(buildOrgData(spec).licenseKeys).toEqual([
      { key: 'K-PRIMARY', kind: 'primary', state: 'active' },
      { key: 'K-ENG', kind: 'sublicense', state: 'active' },
      { key: 'K-OLD', kind: 'sublicense', state: 'expired' },
      { key: 'K-REV', kind: 'sublicense', state: 'revoked' },
    ]);
  });

  it('makes a user group only for the sublicenses that name one', () => {
    expect(buildOrgData(spec).userGroups).toEqual([
      { id: 'eng', name: 'Engineering', licenseKey: 'K-ENG' },
      { id: 'old', name: 'Contractors', licenseKey: 'K-OLD' },
    ]);
  });

  it('enables the architectures that have a hosted image and disables the others', () => {
    expect(buildOrgData(spec).goldenImages).toEqual([
      {
        id: 'img',
        name: 'Image',
        description: 'd',
        images: { arm64: { enabled: true, ...arm }, x86_64: { enabled: false } },
        assignedTo: ['eng'],
      },
    ]);
  });

  it('produces data the organisation configuration check accepts', () => {
    const org = parseOrgConfig(buildOrgData(spec), 'built');
    expect(org.checkInIntervalSec).toBe(120);
    expect(org.policies).toEqual([
      {
        id: 'eng-only',
        appliesTo: ['eng'],
        restrictToCorporateVms: true,
        oneCorporateVmPerUser: false,
        preventCorporateVmRemoval: false,
      },
    ]);
  });
});
