import { once } from 'node:events';
import { Agent } from 'node:https';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { faultSpecSchema } from '../../../shared/faults.ts';
import { startPortal } from '../../../electron/portal/server.ts';
import { fixtureOrg } from '../../helpers/portal-fixture.ts';
import { ADMIN_TOKEN, AS_ADMIN, faultApi, httpsCall, type HttpsAnswer } from './https-client.ts';
import { useHttpsFixture } from './https-fixture.ts';

const { tempDir, portals, setup } = useHttpsFixture();

const statusOf = (answer: HttpsAnswer) => ('status' in answer ? answer.status : answer.error);

// What Node's TLS client says of each certificate when it trusts the portal's CA.
const CLIENT_ERRORS = [
  ['untrusted', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  ['expired', 'CERT_HAS_EXPIRED'],
  ['wrong_host', 'ERR_TLS_CERT_ALTNAME_INVALID'],
] as const;

const NEEDS_HTTPS = /must be started with HTTPS/;

describe('the tls fault', () => {
  it.each(CLIENT_ERRORS)(
    'presents the %s certificate to new connections (%s) until it is removed',
    async (certificate, code) => {
      const { portal, caFile } = await setup();
      const devices = `${portal.url}/api/v1/devices`;
      const id = portal.faults.add({ type: 'tls', certificate });
      expect(await httpsCall(devices, { caFile }, AS_ADMIN)).toEqual({ error: code });
      expect(portal.faults.remove(id)).toBe(true);
      expect(statusOf(await httpsCall(devices, { caFile }, AS_ADMIN))).toBe(200);
    },
  );

  it('is listed by the fault API, which a client that skips verification still reaches', async () => {
    const { portal } = await setup({
      faults: [{ id: 'cert', type: 'tls', certificate: 'expired' }],
    });
    const listed = await faultApi(portal, 'insecure', 'GET');
    expect(statusOf(listed)).toBe(200);
    expect(JSON.parse('body' in listed ? listed.body.toString() : '{}')).toEqual({
      faults: [
        { id: 'cert', type: 'tls', certificate: 'expired', toxicity: 1, attempts: 0, hits: 0 },
      ],
    });
  });

  it('follows the first active tls fault, and the valid certificate once none is left', async () => {
    const { portal, caFile } = await setup();
    const devices = `${portal.url}/api/v1/devices`;
    portal.faults.add({ id: 'a', type: 'tls', certificate: 'expired' });
    portal.faults.add({ id: 'b', type: 'tls', certificate: 'wrong_host' });
    expect(await httpsCall(devices, { caFile }, AS_ADMIN)).toEqual({ error: 'CERT_HAS_EXPIRED' });
    portal.faults.remove('a');
    expect(await httpsCall(devices, { caFile }, AS_ADMIN)).toEqual({
      error: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    portal.faults.clear();
    expect(statusOf(await httpsCall(devices, { caFile }, AS_ADMIN))).toBe(200);
  });

  it('closes idle keep-alive connections, so that their next request meets the fault', async () => {
    const { portal, caFile } = await setup();
    const agent = new Agent({ keepAlive: true, ca: await readFile(caFile) });
    try {
      const devices = `${portal.url}/api/v1/devices`;
      const first = await httpsCall(devices, { caFile }, { ...AS_ADMIN, agent });
      if (!('socket' in first)) throw new Error(first.error);
      const closed = once(first.socket, 'close');
      portal.faults.add({ type: 'tls', certificate: 'expired' });
      await closed;
      expect(await httpsCall(devices, { caFile }, { ...AS_ADMIN, agent })).toEqual({
        error: 'CERT_HAS_EXPIRED',
      });
    } finally {
      agent.destroy();
    }
  });

  it('can be added and removed through the fault API', async () => {
    const { portal, caFile } = await setup();
    const devices = `${portal.url}/api/v1/devices`;
    const added = await faultApi(portal, { caFile }, 'POST', '', {
      id: 'cert',
      type: 'tls',
      certificate: 'untrusted',
    });
    expect(statusOf(added)).toBe(201);
    expect(await httpsCall(devices, { caFile }, AS_ADMIN)).toEqual({
      error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    expect(statusOf(await faultApi(portal, 'insecure', 'DELETE', '/cert'))).toBe(204);
    expect(statusOf(await httpsCall(devices, { caFile }, AS_ADMIN))).toBe(200);
  });
});

describe('refusing a tls fault', () => {
  it.each([
    ['a scope', { scope: { paths: ['/api/v1/checkin'] } }, 'scope'],
    ['a toxicity below 1', { toxicity: 0.5 }, 'toxicity'],
  ])('refuses %s: it applies to every new connection', (_case, extra, field) => {
    const parsed = faultSpecSchema.safeParse({ type: 'tls', certificate: 'expired', ...extra });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: [field],
        message: expect.stringMatching(/applies to every new connection/),
      }),
    ]);
  });

  it('refuses an unknown certificate, over the fault API too', async () => {
    expect(faultSpecSchema.safeParse({ type: 'tls', certificate: 'revoked' }).success).toBe(false);
    const { portal, caFile } = await setup();
    const answer = await faultApi(portal, { caFile }, 'POST', '', {
      type: 'tls',
      scope: { paths: ['/images/*'] },
      certificate: 'revoked',
    });
    expect(statusOf(answer)).toBe(400);
    const { error } = JSON.parse('body' in answer ? answer.body.toString() : '{}') as {
      error: { message: string };
    };
    expect(error.message).toMatch(/certificate/);
  });

  describe('on a plain-HTTP portal', () => {
    async function plainPortal() {
      const portal = await startPortal({
        dataDir: await tempDir(),
        org: fixtureOrg({}),
        logger: false,
        adminToken: ADMIN_TOKEN,
      });
      portals.push(portal);
      return portal;
    }

    it('throws from code, saying the portal must be started with HTTPS', async () => {
      const portal = await plainPortal();
      expect(() => portal.faults.add({ type: 'tls', certificate: 'expired' })).toThrow(NEEDS_HTTPS);
      expect(portal.faults.list()).toEqual([]);
    });

    it('answers 409 with that sentence on the fault API', async () => {
      const portal = await plainPortal();
      const res = await fetch(`${portal.url}/api/v1/faults`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'tls', certificate: 'wrong_host' }),
      });
      expect(res.status).toBe(409);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toMatch(NEEDS_HTTPS);
      expect(portal.faults.list()).toEqual([]);
    });

    it('refuses to start with one, from the options or the org configuration', async () => {
      const dataDir = await tempDir();
      const tls = { type: 'tls', certificate: 'untrusted' } as const;
      const base = { dataDir, logger: false } as const;
      await expect(startPortal({ ...base, org: fixtureOrg({}), faults: [tls] })).rejects.toThrow(
        NEEDS_HTTPS,
      );
      const org = fixtureOrg({}, { faults: [tls] });
      await expect(startPortal({ ...base, org })).rejects.toThrow(NEEDS_HTTPS);
    });
  });
});
