import { describe, expect, it } from 'vitest';
import { parseOrgConfig } from '../../electron/portal/org-config.ts';
import { absoluteUrl, resolvePolicy } from '../../electron/portal/resolve-policy.ts';
import { policySchema } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { PASTED_CHECKSUM, sampleOrg, sampleOrgData } from './portal-fixtures.ts';

const context = { revision: 3, baseUrl: 'http://127.0.0.1:4321' };

describe('resolvePolicy', () => {
  it("offers the group's golden image with the group's policy flags", () => {
    const { policy, group } = resolvePolicy(
      sampleOrg(),
      { licenseKey: 'ACME-ENG-0002', arch: 'arm64' },
      context,
    );
    expect(group).toBe('engineering');
    expect(policySchema.parse(policy)).toEqual(policy);
    expect(policy).toEqual({
      id: 'group:engineering',
      groupName: 'Engineering',
      revision: 3,
      restrictToCorporateVms: true,
      oneCorporateVmPerUser: false,
      preventCorporateVmRemoval: true,
      goldenImage: {
        id: 'win11-dev',
        name: 'ACME Windows 11 for Developers',
        description: 'For the engineers',
        arch: 'arm64',
        url: 'http://127.0.0.1:4321/images/win11-arm64.pvmp',
        sha256: PASTED_CHECKSUM,
      },
    });
  });

  it('offers nothing when the group image has no enabled image for the arch', () => {
    const { policy } = resolvePolicy(
      sampleOrg(),
      { licenseKey: 'ACME-ENG-0002', arch: 'x86_64' },
      context,
    );
    expect(policy.id).toBe('group:engineering');
    expect(policy.restrictToCorporateVms).toBe(true);
    expect(policy.goldenImage).toBeNull();
  });

  it('offers the image assigned to the primary key to primary key users', () => {
    const { policy, group } = resolvePolicy(
      sampleOrg(),
      { licenseKey: 'ACME-PRIMARY-0001', arch: 'x86_64' },
      context,
    );
    expect(group).toBe('primary');
    expect(policy.id).toBe('primary');
    expect(policy.restrictToCorporateVms).toBe(false);
    expect(policy.goldenImage).toMatchObject({
      id: 'win11-all',
      arch: 'x86_64',
      url: 'https://cdn.example.com/all-x86.pvmp',
      sha256: 'c2',
      description: '',
    });
  });

  it('falls back to the configuration profile applied to a key whose group has no image', () => {
    const { policy, group } = resolvePolicy(
      sampleOrg(),
      { licenseKey: 'ACME-FIN-0003', arch: 'arm64' },
      context,
    );
    expect(group).toBe('finance');
    expect(policy.id).toBe('profile:be-profile');
    expect(policy.goldenImage).toEqual({
      id: 'profile:be-profile',
      name: 'BE Windows 11 Arm',
      description: '',
      arch: 'arm64',
      url: 'https://files.example.com/be-arm.zip',
      sha256: 'be-sum',
    });
  });

  it('offers nothing from a profile whose payload for the arch is disabled', () => {
    const { policy, group } = resolvePolicy(
      sampleOrg(),
      { licenseKey: 'ACME-BE-0006', arch: 'x86_64' },
      context,
    );
    expect(group).toBeNull();
    expect(policy.id).toBe('profile:be-profile');
    expect(policy.goldenImage).toBeNull();
  });

  it('gives a default policy without image to a sublicense key with no group or profile', () => {
    const data = sampleOrgData();
    data.configurationProfiles = [];
    const { policy } = resolvePolicy(
      parseOrgConfig(data, 'org.yaml'),
      { licenseKey: 'ACME-BE-0006', arch: 'arm64' },
      context,
    );
    expect(policy).toEqual({
      id: 'default',
      revision: 3,
      restrictToCorporateVms: false,
      oneCorporateVmPerUser: false,
      preventCorporateVmRemoval: false,
      goldenImage: null,
    });
  });

  it.each([
    ['NOT-A-KEY', 'LICENSE_UNKNOWN'],
    ['ACME-OLD-0004', 'LICENSE_EXPIRED'],
    ['ACME-REV-0005', 'LICENSE_REVOKED'],
  ])('refuses key %s with %s', (licenseKey, code) => {
    let error: unknown;
    try {
      resolvePolicy(sampleOrg(), { licenseKey, arch: 'arm64' }, context);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProvisimError);
    expect((error as ProvisimError).code).toBe(code);
  });
});

describe('absoluteUrl', () => {
  it('resolves portal paths and leaves absolute URLs exactly as typed', () => {
    expect(absoluteUrl('/images/a%20b.pvmp', 'http://127.0.0.1:80')).toBe(
      'http://127.0.0.1/images/a%20b.pvmp',
    );
    expect(absoluteUrl('https://share.example.com/x?web=1', 'http://h:1')).toBe(
      'https://share.example.com/x?web=1',
    );
  });
});
