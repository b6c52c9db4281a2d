import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOrgConfig } from '../../electron/portal/org-config.ts';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { checkInResponseSchema } from '../../shared/protocol.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { ADMIN_TOKEN, checkInBody, list, post } from './client-fixtures.ts';
import { rawRequest, sampleOrg, sampleOrgData, usePortals } from './portal-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();

describe('POST /api/v1/checkin', () => {
  it('answers with the policy and an ETag, then 304 for the same If-None-Match', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const body = checkInBody();
    const first = await post(`${portal.url}/api/v1/checkin`, body);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const answer = checkInResponseSchema.parse(await first.json());
    expect(answer.checkInIntervalSec).toBe(600);
    expect(answer.policy).toMatchObject({ id: 'group:engineering', revision: 1 });

    const again = await post(`${portal.url}/api/v1/checkin`, body, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');

    const stale = await post(`${portal.url}/api/v1/checkin`, body, { 'if-none-match': '"old"' });
    expect(stale.status).toBe(200);
  });

  it('changes the ETag and the revision after setOrg', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const body = checkInBody();
    const before = await post(`${portal.url}/api/v1/checkin`, body);
    const etag = before.headers.get('etag')!;
    portal.setOrg(sampleOrg());
    expect(portal.revision).toBe(2);
    const after = await post(`${portal.url}/api/v1/checkin`, body, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(((await after.json()) as { policy: { revision: number } }).policy.revision).toBe(2);
  });

  it('includes sizeBytes and an absolute portal URL for an image hosted on the portal', async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'images'), { recursive: true });
    await writeFile(join(dataDir, 'images', 'win11-arm64.pvmp'), Buffer.alloc(12_345, 7));
    const portal = await startPortal({ dataDir, org: sampleOrg() });
    const hosted = checkInResponseSchema.parse(
      await (await post(`${portal.url}/api/v1/checkin`, checkInBody())).json(),
    );
    expect(portal.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(hosted.policy.goldenImage).toMatchObject({
      url: `${portal.url}/images/win11-arm64.pvmp`,
      sizeBytes: 12_345,
    });

    const elsewhere = checkInResponseSchema.parse(
      await (
        await post(`${portal.url}/api/v1/checkin`, checkInBody({ licenseKey: 'ACME-PRIMARY-0001' }))
      ).json(),
    );
    expect(elsewhere.policy.goldenImage?.url).toBe('https://cdn.example.com/all-arm.pvmp');
    expect(elsewhere.policy.goldenImage).not.toHaveProperty('sizeBytes');
  });

  it('links hosted images at --public-url, where agents reach a portal behind a proxy or on 0.0.0.0', async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'images'), { recursive: true });
    await writeFile(join(dataDir, 'images', 'win11-arm64.pvmp'), Buffer.alloc(12_345, 7));
    const publicUrl = 'https://portal.acme.test:8443';
    const portal = await startPortal({ dataDir, org: sampleOrg(), publicUrl });
    const answer = checkInResponseSchema.parse(
      await (await post(`${portal.url}/api/v1/checkin`, checkInBody())).json(),
    );
    // The file is still found as the portal's own, so its size is known.
    expect(answer.policy.goldenImage).toMatchObject({
      url: `${publicUrl}/images/win11-arm64.pvmp`,
      sizeBytes: 12_345,
    });
  });

  it('leaves sizeBytes out when the hosted file is missing', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const answer = checkInResponseSchema.parse(
      await (await post(`${portal.url}/api/v1/checkin`, checkInBody())).json(),
    );
    expect(answer.policy.goldenImage?.url).toBe(`${portal.url}/images/win11-arm64.pvmp`);
    expect(answer.policy.goldenImage).not.toHaveProperty('sizeBytes');
  });

  it.each([
    ['NOT-A-KEY', 401, 'LICENSE_UNKNOWN'],
    ['ACME-OLD-0004', 403, 'LICENSE_EXPIRED'],
    ['ACME-REV-0005', 403, 'LICENSE_REVOKED'],
  ] as const)('refuses key %s with %i %s and keeps no record', async (key, status, code) => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const body = checkInBody({ licenseKey: key });
    const res = await post(`${portal.url}/api/v1/checkin`, body);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: { code, message: ERROR_SENTENCES[code] } });
    expect(portal.state.device(body.deviceId)).toBeUndefined();
  });

  it('answers 400 with a BAD_REQUEST body naming the wrong fields', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const res = await post(`${portal.url}/api/v1/checkin`, { ...checkInBody(), arch: 'ppc' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toMatch(/^The check-in is not valid \(arch: /);
    expect(portal.state.devices()).toEqual([]);
  });

  it('answers 400 with a BAD_REQUEST body for text that is not JSON', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const res = await post(`${portal.url}/api/v1/checkin`, '{"licenseKey":');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  });

  it('answers 415 with a JSON error body for a media type the portal does not read', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const res = await post(`${portal.url}/api/v1/checkin`, '<checkin/>', {
      'content-type': 'application/xml',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('records the device with its group, policy and check-in time', async () => {
    const adminToken = ADMIN_TOKEN;
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg(), adminToken });
    const body = checkInBody();
    await post(`${portal.url}/api/v1/checkin`, body);
    const { devices } = (await list(portal.url, '/devices')).body as {
      devices: Record<string, unknown>[];
    };
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({
      id: body.deviceId,
      hostname: body.hostname,
      arch: 'arm64',
      licenseKey: '****0002',
      group: 'engineering',
      agentVersion: '1.2.3',
      policyId: 'group:engineering',
      policyRevision: 1,
      lastCheckInError: null,
      lastPhase: null,
    });
    expect(Date.parse(devices[0]!.lastCheckInAt as string)).not.toBeNaN();
  });

  it('resolves hosted URLs against the portal even for an org swapped in later', async () => {
    const data = sampleOrgData();
    data.checkInIntervalSec = 30;
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    portal.setOrg(parseOrgConfig(data, 'next.yaml'));
    const answer = checkInResponseSchema.parse(
      await (await post(`${portal.url}/api/v1/checkin`, checkInBody())).json(),
    );
    expect(answer.checkInIntervalSec).toBe(30);
    expect(answer.policy.revision).toBe(2);
  });
});

describe('unknown API paths', () => {
  it('answer 404 with a JSON error body', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const res = await rawRequest(portal.url, '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const wrongMethod = await rawRequest(portal.url, '/api/v1/checkin');
    expect(wrongMethod.status).toBe(404);
  });
});
