import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { rootCertificates } from 'node:tls';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { downloadImage } from '../../electron/agent/download/image-download.ts';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import {
  checkConfig,
  configFrom,
  rememberConfig,
  type AgentConfig,
} from '../../electron/agent/agent-config.ts';
import { runNewVmAction } from '../../electron/agent/provisioning-job.ts';
import { httpsTrust, readCaFile } from '../../electron/agent/tls-trust.ts';
import { createTransport } from '../../electron/agent/transport.ts';
import {
  WRONG_HOST,
  createTestPki,
  type ServerVariant,
  type TestPki,
} from '../../electron/portal/tls/test-pki.ts';
import { downloadSetup, makeTarImage } from './download/download-fixtures.ts';
import { samplePolicy } from '../helpers/fake-portal.ts';
import { sampleCheckInRequest } from '../helpers/fake-portal.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { provisimFailure } from '../helpers/provisim-failure.ts';

const tempDir = useTempDirs();

const request = sampleCheckInRequest;
const image = makeTarImage(64 * 1024);

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});

interface TlsServer {
  readonly origin: string;
  readonly host: string;
  /** TCP connections accepted: one per attempt, so a retry shows here. */
  connections: number;
  requests: string[];
}

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An HTTPS server with a variant's certificate: a tiny portal (check-in, events) and an image. */
async function startTlsServer(variant: ServerVariant): Promise<TlsServer> {
  const { keyPem, certPem } = pki.servers[variant];
  const state = { connections: 0, requests: [] as string[] };
  const server = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    state.requests.push(`${req.method} ${req.url}`);
    answer(req, res);
  });
  server.on('connection', () => (state.connections += 1));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return Object.assign(state, { origin: `https://${host}`, host });
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/image') {
    res.writeHead(200, { 'content-length': image.length }).end(image);
  } else if (req.url === '/api/v1/checkin') {
    const body = { policy: samplePolicy({ goldenImage: null }), checkInIntervalSec: 300 };
    res.writeHead(200, { 'content-type': 'application/json', etag: '"p1"' });
    res.end(JSON.stringify(body));
  } else if (req.url?.endsWith('/events')) {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const { events } = JSON.parse(text) as { events: unknown[] };
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: events.length }));
    });
  } else {
    res.writeHead(404).end();
  }
}

async function caFileIn(dir: string, text = pki.caCertPem): Promise<string> {
  const path = join(dir, 'org-ca.pem');
  await writeFile(path, text);
  return path;
}

const client = (server: TlsServer, caFile?: string) =>
  new PortalClient({
    portalUrl: server.origin,
    transport: createTransport({ caFile }),
    retries: 2,
    retryDelayMs: 1,
  });

async function download(server: TlsServer, caFile?: string) {
  const { options, ofType } = downloadSetup(await tempDir(), `${server.origin}/image`, image);
  const transport = createTransport({ caFile });
  const result = downloadImage({ ...options, transport, retries: 3, minRetryDelayMs: 1 });
  return { result, ofType };
}

const WORDING = {
  valid: /issued by a certificate authority this computer does not trust.*--ca-file/,
  untrusted: /issued by a certificate authority this computer does not trust.*--ca-file/,
  expired: /has expired \(CERT_HAS_EXPIRED\)\. Ask your administrator to renew/,
  wrongHost: new RegExp(`issued for another host: DNS:${WRONG_HOST}, not 127\\.0\\.0\\.1 \\(`),
} as const;

describe('trusting an extra CA file', () => {
  it('checks in and downloads from a server signed by the CA in caFile', async () => {
    const server = await startTlsServer('valid');
    const caFile = await caFileIn(await tempDir());
    const checkIn = await client(server, caFile).checkIn(request);
    expect(checkIn.status).toBe('changed');
    const { result } = await download(server, caFile);
    expect((await result).bytes).toBe(image.length);
    expect(server.requests).toEqual(['POST /api/v1/checkin', 'GET /image']);
  });

  it('keeps the system roots beside the extra CA', async () => {
    const trust = httpsTrust(await caFileIn(await tempDir()));
    expect(trust.rejectUnauthorized).toBe(true);
    expect(trust.certificateAuthority).toEqual([...rootCertificates, pki.caCertPem.trim()]);
    expect(httpsTrust()).toEqual({ rejectUnauthorized: true });
  });

  it('reads every certificate of a bundle', async () => {
    const other = createTestPki();
    const bundle = await caFileIn(await tempDir(), `${other.caCertPem}\n${pki.caCertPem}`);
    expect(readCaFile(bundle)).toEqual([other.caCertPem.trim(), pki.caCertPem.trim()]);
  });
});

describe('refusing a certificate with TLS_UNTRUSTED, once', () => {
  it.each([
    ['valid', false],
    ['untrusted', true],
    ['expired', true],
    ['wrongHost', true],
  ] as const)('check-in to a %s certificate (CA file given: %s)', async (variant, withCa) => {
    const server = await startTlsServer(variant);
    const caFile = withCa ? await caFileIn(await tempDir()) : undefined;
    const error = await provisimFailure(client(server, caFile).checkIn(request));
    expect(error).toMatchObject({ code: 'TLS_UNTRUSTED', retryable: false });
    expect(error.message).toContain(`the management portal at ${server.host}`);
    expect(error.message).toMatch(WORDING[variant]);
    expect(error.details).toMatchObject({ host: server.host });
    expect(server.connections).toBe(1);
    expect(server.requests).toEqual([]);
  });

  it.each([
    ['valid', false],
    ['untrusted', true],
    ['expired', true],
    ['wrongHost', true],
  ] as const)(
    'image download from a %s certificate (CA file given: %s)',
    async (variant, withCa) => {
      const server = await startTlsServer(variant);
      const caFile = withCa ? await caFileIn(await tempDir()) : undefined;
      const { result, ofType } = await download(server, caFile);
      const error = await provisimFailure(result);
      expect(error).toMatchObject({ code: 'TLS_UNTRUSTED', retryable: false });
      expect(error.message).toContain(`the image server at ${server.host}`);
      expect(error.message).toMatch(WORDING[variant]);
      expect(ofType('attempt-failed')).toEqual([]);
      expect(server.connections).toBe(1);
      expect(server.requests).toEqual([]);
    },
  );
});

describe('an unusable CA file', () => {
  it.each([
    ['missing', undefined],
    ['not PEM', 'this is not a certificate\n'],
    ['a broken PEM block', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
    ['a key, not a certificate', 'KEY'],
  ] as const)('is a USAGE error naming the file when %s', async (_case, text) => {
    const server = await startTlsServer('valid');
    const dir = await tempDir();
    const content = text === 'KEY' ? pki.servers.valid.keyPem : text;
    const caFile = content === undefined ? join(dir, 'nowhere.pem') : await caFileIn(dir, content);
    const usage = { code: 'USAGE', message: expect.stringContaining(`"${caFile}"`) };
    // The transport the portal client and the downloads share is where the file is read.
    expect(() => createTransport({ caFile })).toThrow(expect.objectContaining(usage));
    expect(() => client(server, caFile)).toThrow(expect.objectContaining(usage));
    expect(server.connections).toBe(0);
  });
});

describe('runNewVmAction with a CA file', () => {
  it('uses it for the portal, and a remembered one is what configFrom falls back on', async () => {
    const server = await startTlsServer('valid');
    const home = await tempDir();
    const caFile = await caFileIn(await tempDir());
    const config = { portalUrl: server.origin, licenseKey: request.licenseKey, caFile };
    const decide = async () => 'accept' as const;
    expect(await runNewVmAction({ home, config, decide })).toEqual({
      type: 'result',
      outcome: 'no-image',
    });
    // The job itself never writes its config: remembering is the command's.
    expect(openAgentStore(home).get('caFile')).toBeUndefined();
    rememberConfig(openAgentStore(home), config);
    const again = configFrom(openAgentStore(home), { portalUrl: server.origin });
    expect(again).toMatchObject({ caFile, licenseKey: request.licenseKey });
    expect(await runNewVmAction({ home, config: again as AgentConfig, decide })).toMatchObject({
      outcome: 'no-image',
    });
  });

  it('fails with USAGE for an unusable CA file, in the check and in the job, writing nothing', async () => {
    const server = await startTlsServer('valid');
    const home = await tempDir();
    const caFile = join(home, 'missing.pem');
    const config = { portalUrl: server.origin, licenseKey: request.licenseKey, caFile };
    expect(() => checkConfig(config)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    const result = await runNewVmAction({ home, config, decide: async () => 'accept' });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'USAGE' } });
    expect(result.error?.message).toContain(caFile);
    expect(await readFile(join(home, 'agent.json'), 'utf8').catch(() => '')).not.toContain(caFile);
    expect(server.connections).toBe(0);
  });
});
