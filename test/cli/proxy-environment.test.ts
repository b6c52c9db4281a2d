import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ndjson, runArgs, runCliProcess } from '../helpers/cli-process.ts';
import { useForwardProxies } from '../helpers/forward-proxy.ts';
import { startImageServer } from '../helpers/image-server.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const startProxy = useForwardProxies();
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

// Each run starts from none of the proxy variables of the shell the tests run in.
const NO_PROXY_ENV = Object.fromEntries(
  ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'].map((k) => [
    k,
    undefined,
  ]),
);

/** A portal on 127.0.0.1 serving its image, or linking it on an image server named `imageHost`. */
async function portalWithImage(imageHost?: string) {
  const dataDir = await tempDir();
  const image = await makeFixtureImage(dataDir, { name: 'Env VM', arch: 'arm64' });
  let url = image.path;
  if (imageHost !== undefined) {
    const server = await startImageServer({
      body: { file: image.archivePath, size: image.sizeBytes },
    });
    closers.push(() => server.close());
    url = server.urlFor('/image', imageHost);
  }
  const portal = await startFixturePortal(
    dataDir,
    fixtureOrg({ arm64: { url, checksum: image.sha256 } }),
  );
  closers.push(() => portal.close());
  return { portal, imagePort: new URL(url, portal.url).port };
}

async function runWith(env: NodeJS.ProcessEnv, ...extra: string[]) {
  const { portal } = await portalWithImage();
  const home = await tempDir();
  const args = runArgs({ portal: portal.url, license: KEYS.eng, home }, '--accept', '--json');
  const run = await runCliProcess([...args, ...extra], { ...NO_PROXY_ENV, ...env });
  return { ...run, result: ndjson(run.stdout).at(-1), host: new URL(portal.url).host, home };
}

describe('proxies from the environment, as curl and npm read them', () => {
  it('sends http:// requests through HTTP_PROXY, and not through HTTPS_PROXY', async () => {
    const proxy = await startProxy();
    const unused = await startProxy();
    const run = await runWith({ HTTP_PROXY: proxy.url, HTTPS_PROXY: unused.url });
    expect(run.result).toMatchObject({ type: 'result', outcome: 'registered' });
    expect(proxy.seen).toContain(`CONNECT ${run.host}`);
    const httpsOnly = await runWith({ HTTPS_PROXY: unused.url });
    expect(httpsOnly.result).toMatchObject({ type: 'result', outcome: 'registered' });
    expect(unused.seen).toEqual([]);
  });

  it('prefers http_proxy to HTTP_PROXY, and --proxy to both', async () => {
    const proxy = await startProxy();
    const dead = await startProxy();
    await dead.close();
    const lower = await runWith({ http_proxy: proxy.url, HTTP_PROXY: dead.url });
    expect(lower.result).toMatchObject({ outcome: 'registered' });
    const explicit = await runWith({ http_proxy: dead.url }, '--proxy', proxy.url);
    expect(explicit.result).toMatchObject({ outcome: 'registered' });
    // Each run has a portal of its own: the proxy carried both.
    expect(proxy.seen).toEqual(
      expect.arrayContaining([lower, explicit].map((r) => `CONNECT ${r.host}`)),
    );
  });

  it('goes direct to hosts in NO_PROXY (names, suffixes, addresses, *), also past --proxy', async () => {
    const dead = await startProxy();
    await dead.close();
    for (const list of ['127.0.0.1', 'example.com,127.0.0.0/8', '*']) {
      const run = await runWith({ HTTP_PROXY: dead.url, no_proxy: list });
      expect(run.result, list).toMatchObject({ outcome: 'registered' });
    }
    const past = await runWith({ NO_PROXY: '127.0.0.1' }, '--proxy', dead.url);
    expect(past.result).toMatchObject({ outcome: 'registered' });
    // Loopback is not exempt by itself, as with curl.
    const loopback = await runWith({ HTTP_PROXY: dead.url, NO_PROXY: '.example.com' });
    expect(loopback.result).toMatchObject({ error: { code: 'PROXY_UNREACHABLE' } });
    expect(loopback.result?.error).toMatchObject({
      message: expect.stringContaining('HTTP_PROXY'),
    });
  });

  it('ends --json with PROXY_AUTH_REQUIRED when the image host is behind a proxy that asks, password unprinted', async () => {
    const password = 'Hunter2-never-shown';
    const proxy = await startProxy({ user: 'agent', password: 'another one' });
    const { portal, imagePort } = await portalWithImage('localhost');
    const home = await tempDir();
    const run = await runCliProcess(
      runArgs({ portal: portal.url, license: KEYS.eng, home }, '--accept', '--json'),
      { ...NO_PROXY_ENV, HTTP_PROXY: proxy.urlWith('agent', password), NO_PROXY: '127.0.0.1' },
    );
    const lines = ndjson(run.stdout);
    expect(run.code).toBe(1);
    expect(lines.map((line) => line.type)).toEqual(
      expect.arrayContaining(['checked-in', 'accepted', 'download-failed']),
    );
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      outcome: 'failed',
      error: { code: 'PROXY_AUTH_REQUIRED', message: expect.stringContaining('(HTTP_PROXY)') },
    });
    expect(proxy.seen).toEqual([`CONNECT localhost:${imagePort}`]);
    const logs = await readdir(join(home, 'logs'));
    const logText = await Promise.all(logs.map((f) => readFile(join(home, 'logs', f), 'utf8')));
    for (const text of [run.stdout, run.stderr, ...logText]) expect(text).not.toContain(password);
  });
});
