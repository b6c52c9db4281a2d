import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import type { AgentEvent } from '../../shared/protocol.ts';
import { FakePortal, sampleCheckInRequest } from '../helpers/fake-portal.ts';
import { sampleEvent } from '../helpers/sample-events.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

const request = sampleCheckInRequest;

let portal: FakePortal;
let client: PortalClient;

beforeEach(async () => {
  portal = await FakePortal.start();
  client = new PortalClient({
    portalUrl: portal.url,
    retries: 2,
    retryDelayMs: 1,
    timeoutMs: 2_000,
  });
});
afterEach(async () => {
  await portal.down();
});

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected a rejection');
  return error as Record<string, unknown>;
}

describe('PortalClient.checkIn', () => {
  it('returns the policy and the etag on 200', async () => {
    const result = await client.checkIn(request);
    expect(result.status).toBe('changed');
    if (result.status !== 'changed') return;
    expect(result.etag).toMatch(/^".+"$/);
    expect(result.body.policy.id).toBe('policy-1');
    expect(result.body.checkInIntervalSec).toBe(300);
  });

  it('sends If-None-Match and reports unchanged on 304', async () => {
    const first = await client.checkIn(request);
    const etag = first.status === 'changed' ? first.etag : '';
    expect(await client.checkIn(request, etag)).toEqual({ status: 'unchanged' });
    expect(portal.checkIns.map((c) => c.ifNoneMatch)).toEqual([undefined, etag]);
  });

  it.each([
    ['unknown', 'LICENSE_UNKNOWN'],
    ['expired', 'LICENSE_EXPIRED'],
    ['revoked', 'LICENSE_REVOKED'],
  ] as const)('maps a %s license to %s with our own sentence', async (state, code) => {
    portal.licenses.set(request.licenseKey, state);
    const error = await failure(client.checkIn(request));
    expect(error).toMatchObject({ code, retryable: false });
    expect(error.message).not.toContain('Server says');
    expect(error.details).toMatchObject({ serverMessage: `Server says: license ${state}` });
  });

  it('refuses a 200 that is not JSON', async () => {
    portal.respondNext('checkin', { status: 200, body: '<html>login</html>' });
    expect(await failure(client.checkIn(request))).toMatchObject({
      code: 'POLICY_INVALID',
      message: expect.stringContaining('not JSON'),
    });
  });

  it('refuses a 200 that breaks the protocol schema', async () => {
    portal.respondNext('checkin', { status: 200, body: { policy: { id: 'p' } } });
    expect(await failure(client.checkIn(request))).toMatchObject({
      code: 'POLICY_INVALID',
      message: expect.stringContaining('not follow the protocol'),
    });
  });

  it('retries a 503 and then succeeds', async () => {
    portal.respondNext('checkin', { status: 503, body: 'busy' });
    expect((await client.checkIn(request)).status).toBe('changed');
    expect(portal.requests.checkin).toBe(2);
  });

  it('gives up after the retries on repeated 5xx', async () => {
    portal.respondNext('checkin', { status: 500 }, { status: 502 }, { status: 503 });
    const error = await failure(client.checkIn(request));
    expect(error).toMatchObject({ code: 'PORTAL_UNREACHABLE', retryable: true });
    expect(error.message).toContain('HTTP 503');
    expect(portal.requests.checkin).toBe(3);
  });

  it('maps other statuses to PORTAL_UNREACHABLE naming the status, without retrying', async () => {
    portal.respondNext('checkin', {
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'x' } },
    });
    const error = await failure(client.checkIn(request));
    expect(error).toMatchObject({ code: 'PORTAL_UNREACHABLE', retryable: false });
    expect(error.message).toContain('HTTP 404');
    expect(portal.requests.checkin).toBe(1);
  });

  it('reports a portal that is down as PORTAL_UNREACHABLE with its URL', async () => {
    await portal.down();
    const error = await failure(client.checkIn(request));
    expect(error).toMatchObject({ code: 'PORTAL_UNREACHABLE', retryable: true });
    expect(error.message).toContain(portal.url);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a portal that does not answer in time as PORTAL_UNREACHABLE', async () => {
    const slow = new PortalClient({ portalUrl: portal.url, retries: 0, timeoutMs: 100 });
    portal.respondNext('checkin', { hang: true });
    expect(await failure(slow.checkIn(request))).toMatchObject({
      code: 'PORTAL_UNREACHABLE',
      message: expect.stringContaining('ETIMEDOUT'),
    });
  });

  it('refuses a portal whose TLS certificate is not trusted', async () => {
    const dir = await tempDir();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    let hits = 0;
    const server = createHttpsServer(
      { key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) },
      (_req, res) => {
        hits += 1;
        res.writeHead(304).end();
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const tls = new PortalClient({ portalUrl: `https://127.0.0.1:${port}`, retries: 0 });
    const error = await failure(tls.checkIn(request, '"x"'));
    await new Promise((resolve) => server.close(resolve));
    expect(error).toMatchObject({
      code: 'TLS_UNTRUSTED',
      message: expect.stringContaining('SELF_SIGNED'),
    });
    expect(hits).toBe(0);
  });

  it('refuses a portal URL that is not http(s)', () => {
    expect(() => new PortalClient({ portalUrl: 'ftp://portal' })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
    expect(() => new PortalClient({ portalUrl: 'portal.example.com' })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
  });

  it('keeps a path prefix of the portal URL', async () => {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(304).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const prefixed = new PortalClient({ portalUrl: `http://127.0.0.1:${port}/tenant/` });
    await prefixed.checkIn(request, '"x"');
    await new Promise((resolve) => server.close(resolve));
    expect(paths).toEqual(['/tenant/api/v1/checkin']);
  });
});

describe('PortalClient.postEvents', () => {
  const event: AgentEvent = sampleEvent('checked-in', {
    id: 'f1a4a8c6-45a1-4c57-9d59-3f0b7d2f3c11',
    at: '2025-01-01T00:00:00.000Z',
  });

  it('returns how many events were new', async () => {
    expect(await client.postEvents(request.deviceId, request.licenseKey, [event])).toEqual({
      accepted: 1,
    });
    expect(await client.postEvents(request.deviceId, request.licenseKey, [event])).toEqual({
      accepted: 0,
    });
    expect(portal.received.get(event.id)).toBe(2);
  });

  it('treats a 2xx with a bad body as a failed delivery', async () => {
    portal.respondNext('events', { status: 202, body: 'ok' });
    expect(
      await failure(client.postEvents(request.deviceId, request.licenseKey, [event])),
    ).toMatchObject({
      code: 'PORTAL_UNREACHABLE',
    });
  });

  it('maps a rejected batch to PORTAL_UNREACHABLE with the status', async () => {
    portal.respondNext('events', {
      status: 400,
      body: { error: { code: 'USAGE', message: 'bad' } },
    });
    expect(
      await failure(client.postEvents(request.deviceId, request.licenseKey, [event])),
    ).toMatchObject({
      code: 'PORTAL_UNREACHABLE',
      message: expect.stringContaining('HTTP 400'),
    });
  });
});
