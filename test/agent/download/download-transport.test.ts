import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadImage } from '../../../electron/agent/download/image-download.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { MiB, downloadSetup, makeTarImage, sha256, useImageServers } from './download-fixtures.ts';
import { provisimFailure } from '../../helpers/provisim-failure.ts';

const tempDir = useTempDirs();
const startServer = useImageServers();

// A throwaway self-signed certificate for 127.0.0.1, made for this test only.
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0OdZnKzNRdteORgS
pqYrLDwFWVlsh0Tt371YWK49JVChRANCAAR3X5H+yROQnHSlrvlli+3CcvdQXpd7
4NV1OK2lJgig1h3sovwjMN8dtEutxO3nw0yZpbSr9UkUiV05U2+pvb8u
-----END PRIVATE KEY-----`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBkTCCATagAwIBAgIUEMXcg68rO6pkiFJy+lgKls+erVMwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMjA1NTEzM1oYDzIxMjYxMDI5
MDU1MTMzWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAR3X5H+yROQnHSlrvlli+3CcvdQXpd74NV1OK2lJgig1h3sovwjMN8d
tEutxO3nw0yZpbSr9UkUiV05U2+pvb8uo2QwYjAdBgNVHQ4EFgQU1Ix3/QdYKzPI
MQeSPk7kFwmocqQwHwYDVR0jBBgwFoAU1Ix3/QdYKzPIMQeSPk7kFwmocqQwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC
IQCZNTddkLKUb/GL83SkpjO1Jrt1N3ob9rXarJW0wGRK+QIhAMd3uzY/dco+Q4U9
ARW/Mh8VNwPdPc69OC7cvb5+m/hg
-----END CERTIFICATE-----`;

describe('downloadImage transport', () => {
  it('refuses an untrusted TLS certificate with TLS_UNTRUSTED, without retrying', async () => {
    let requests = 0;
    const server = createServer({ key: TEST_KEY, cert: TEST_CERT }, (_req, res) => {
      requests++;
      res.end('never');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const url = `https://127.0.0.1:${port}/image`;
      const { options, ofType } = downloadSetup(await tempDir(), url, makeTarImage(1024));

      const error = await provisimFailure(downloadImage(options));

      expect(error.code).toBe('TLS_UNTRUSTED');
      expect(error.message).toMatch(/does not trust \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      expect(ofType('attempt-failed')).toHaveLength(0);
      expect(requests).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('resumes again when a response ends before the stated total', async () => {
    const image = makeTarImage(4 * MiB);
    const server = await startServer({
      body: image,
      script: [{ dropAfter: MiB }, { rangeEnd: 2 * MiB }],
    });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage(options);

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests.map((request) => request.status)).toEqual([200, 206, 206]);
    expect(server.requests[2]!.headers.range).toBe(`bytes=${2 * MiB}-`);
    expect(ofType('attempt-failed')[1]!.error.message).toMatch(
      `the connection ended after ${2 * MiB} of ${image.length} bytes`,
    );
  });

  it('fails with DOWNLOAD_FAILED when the partial file cannot be created', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image });
    const dir = await tempDir();
    const { options } = downloadSetup(dir, server.url, image);

    const error = await provisimFailure(
      downloadImage({ ...options, partialPath: join(dir, 'missing', 'image.part') }),
    );

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/could not be written.*ENOENT/);
    expect(server.requests).toHaveLength(0);
  });
});
