import { describe, expect, it } from 'vitest';
import type { PolicyMutation } from '../../../shared/faults.ts';
import { parseOrgConfig } from '../../../electron/portal/org-config.ts';
import { sampleOrgData } from '../portal-fixtures.ts';
import { content, IMAGE, observe, otherContent, useFaultPortal } from './fault-fixtures.ts';

const startPortal = useFaultPortal();
const CHECKIN = '/api/v1/checkin';
const ENG_KEY = 'ACME-ENG-0002';

function checkIn(baseUrl: string, licenseKey = ENG_KEY) {
  const body = JSON.stringify({
    deviceId: '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c',
    hostname: 'mac-01',
    arch: 'arm64',
    licenseKey,
    agentVersion: '0.1.0',
  });
  return observe(baseUrl, CHECKIN, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

function policyOf(res: { body: Buffer }) {
  return JSON.parse(res.body.toString()) as {
    checkInIntervalSec: unknown;
    policy: { revision: unknown; goldenImage: Record<string, unknown> };
  };
}

describe('policy faults on the check-in', () => {
  it('malformed_json answers 200 with a body that is not JSON', async () => {
    const portal = await startPortal([{ type: 'policy', mutation: 'malformed_json' }]);
    const res = await checkIn(portal.url);
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.body.toString())).toThrow();
  });

  it('wrong_types turns numbers and booleans into strings', async () => {
    const portal = await startPortal([{ type: 'policy', mutation: 'wrong_types' }]);
    const answer = policyOf(await checkIn(portal.url));
    expect(answer.checkInIntervalSec).toBe('600');
    expect(answer.policy.revision).toBe('1');
  });

  it('oversized_fields sends megabyte-long names', async () => {
    const portal = await startPortal([{ type: 'policy', mutation: 'oversized_fields' }]);
    const answer = policyOf(await checkIn(portal.url));
    expect(String(answer.policy.goldenImage.description).length).toBe(1024 * 1024);
  });

  const urlCases: [PolicyMutation, string, RegExp][] = [
    ['javascript_url', 'url', /^javascript:/],
    ['file_url', 'url', /^file:\/\//],
    ['non_hex_checksum', 'sha256', /^z{64}$/],
    ['wrong_checksum', 'sha256', /^(deadbeef){8}$/],
  ];
  it.each(urlCases)('%s sets the golden image %s', async (mutation, field, pattern) => {
    const portal = await startPortal([{ type: 'policy', mutation }]);
    const answer = policyOf(await checkIn(portal.url));
    expect(String(answer.policy.goldenImage[field])).toMatch(pattern);
  });

  it('a status fault scoped to the check-in fails only the chosen attempt', async () => {
    const portal = await startPortal([
      { type: 'status', status: 500, scope: { paths: [CHECKIN], attempts: { nth: 2 } } },
    ]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await checkIn(portal.url)).status);
    expect(statuses).toEqual([200, 500, 200]);
    expect((await observe(portal.url, IMAGE)).status).toBe(200);
  });
});

describe('portal state faults', () => {
  it('revoke_license revokes the key once that many image bytes were served', async () => {
    const portal = await startPortal([
      { type: 'revoke_license', licenseKey: ENG_KEY, afterImageBytes: 150_000 },
    ]);
    await observe(portal.url, IMAGE, { headers: { range: 'bytes=0-99999' } });
    expect((await checkIn(portal.url)).status).toBe(200);
    await observe(portal.url, IMAGE, { headers: { range: 'bytes=100000-' } });
    const res = await checkIn(portal.url);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'LICENSE_REVOKED' } });
  });

  it('bump_revision gives a new policy revision during a download, once', async () => {
    const portal = await startPortal([{ type: 'bump_revision', afterImageBytes: 1000 }]);
    expect(portal.revision).toBe(1);
    const res = await observe(portal.url, IMAGE);
    expect(res.body.equals(content)).toBe(true);
    expect(portal.revision).toBe(2);
    await observe(portal.url, IMAGE);
    expect(portal.revision).toBe(2);
  });
});

describe('other_arch_image', () => {
  it("serves the golden image's other-architecture file at this architecture's URL", async () => {
    const data = sampleOrgData();
    const golden = (data.goldenImages as { images: Record<string, unknown> }[])[0]!;
    golden.images.x86_64 = { enabled: true, url: '/images/win11-x86.pvmp', checksum: 'x86' };
    const org = parseOrgConfig(data, 'other-arch.yaml');
    const portal = await startPortal([{ type: 'other_arch_image' }], { org });
    const res = await observe(portal.url, IMAGE);
    expect(res.status).toBe(200);
    expect(res.body.equals(otherContent)).toBe(true);
  });

  it('answers 404 when the organisation has no other-architecture image here', async () => {
    const portal = await startPortal([{ type: 'other_arch_image' }]);
    const res = await observe(portal.url, IMAGE);
    expect(res.status).toBe(404);
  });
});
