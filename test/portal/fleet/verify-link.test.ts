import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { VerifyLinkAnswer } from '../../../shared/admin-fleet.ts';
import { startPortal, type RunningPortal } from '../../../electron/portal/server.ts';
import { fixtureOrg, makeFixtureImage } from '../../helpers/portal-fixture.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { admin, expectError, openStream, useFleetPortals } from './fleet-fixtures.ts';

const tempDir = useTempDirs();
const start = useFleetPortals();

/** The admin's portal, hosting one image; and a second portal to break with faults. */
async function portals() {
  const dataDir = await tempDir();
  const image = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
  const portal = await start(dataDir, fixtureOrg({}));
  const otherDir = await tempDir();
  await makeFixtureImage(otherDir, { name: 'Eng ARM', arch: 'arm64' });
  const other = await start(otherDir, fixtureOrg({}));
  return { portal, image, other, link: (p: RunningPortal) => `${p.url}${image.path}` };
}

async function verify(portal: RunningPortal, body: Record<string, unknown>) {
  const answer = await admin(portal, 'POST', '/verify-link', body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as VerifyLinkAnswer;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('verify link', () => {
  it('finds the portal’s own image direct, open, resumable and sized, by URL or by path', async () => {
    const { portal, image, link } = await portals();
    const good = {
      direct: true,
      needsAuthentication: false,
      supportsRanges: true,
      sizeBytes: image.sizeBytes,
      contentType: 'application/octet-stream',
      problems: [],
    };
    expect(await verify(portal, { url: link(portal) })).toEqual(good);
    expect(await verify(portal, { url: image.path })).toEqual(good);
  });

  it('downloads, hashes and compares with a pasted shasum line, with progress on the stream', async () => {
    const { portal, image, link } = await portals();
    const stream = await openStream(portal);
    const checksum = `${image.sha256}  /Users/admin/Parallels/Eng ARM.pvmp`;
    const answer = await verify(portal, { url: link(portal), checksum, download: true });
    expect(answer).toMatchObject({ sha256: image.sha256, checksumMatches: true, problems: [] });
    expect(await stream.next((m) => m.type === 'verify-progress')).toMatchObject({
      url: link(portal),
      total: image.sizeBytes,
    });
    stream.close();

    const wrong = await verify(portal, {
      url: link(portal),
      checksum: 'ab'.repeat(32),
      download: true,
    });
    expect(wrong.checksumMatches).toBe(false);
    expect(wrong.problems.join(' ')).toMatch(/not the checksum given/);
  });

  it('sees through the fault engine: an HTML page, a 401 and a server that ignores ranges', async () => {
    const { portal, other, link } = await portals();
    const html = other.faults.add({ type: 'html_page' });
    const page = await verify(portal, { url: link(other) });
    expect(page).toMatchObject({ direct: false, needsAuthentication: false });
    expect(page.contentType).toMatch(/text\/html/);
    expect(page.problems.join(' ')).toMatch(/web page/);
    other.faults.remove(html);

    const denied = other.faults.add({ type: 'status', status: 401 });
    const locked = await verify(portal, { url: link(other) });
    expect(locked).toMatchObject({ direct: false, needsAuthentication: true });
    expect(locked.problems.join(' ')).toMatch(/credentials \(HTTP 401\)/);
    other.faults.remove(denied);

    other.faults.add({ type: 'ignore_range' });
    const whole = await verify(portal, { url: link(other) });
    expect(whole).toMatchObject({
      direct: true,
      supportsRanges: false,
      sizeBytes: expect.any(Number),
    });
    expect(whole.problems.join(' ')).toMatch(/ignores byte ranges/);
  });

  it('tells a redirect to a sign-in page and a link to nothing', async () => {
    const { portal } = await portals();
    const server = createServer((request, response) => {
      if (request.url === '/share/file.pvmp') {
        response.writeHead(302, { location: '/login?next=/share/file.pvmp' }).end();
      } else {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<form>Sign in</form>');
      }
    });
    const base = await listen(server);
    try {
      const signIn = await verify(portal, { url: `${base}/share/file.pvmp` });
      expect(signIn).toMatchObject({ direct: false, needsAuthentication: true });
      expect(signIn.problems.join(' ')).toMatch(/redirects to a sign-in page/);
    } finally {
      server.close();
    }
    const missing = await verify(portal, { url: `${portal.url}/images/missing.pvmp` });
    expect(missing.direct).toBe(false);
    expect(missing.problems.join(' ')).toMatch(/HTTP 404: there is no file/);
  });

  it('refuses what it cannot check with a code and a sentence', async () => {
    const { portal, link } = await portals();
    expectError(
      await admin(portal, 'POST', '/verify-link', { url: 'ftp://x/y.pvmp' }),
      400,
      'IMAGE_URL_INVALID',
    );
    expectError(
      await admin(portal, 'POST', '/verify-link', { url: 'not a link' }),
      400,
      'IMAGE_URL_INVALID',
    );
    expectError(await admin(portal, 'POST', '/verify-link', {}), 400, 'BAD_REQUEST');
    const badSum = { url: link(portal), checksum: 'abc', download: true };
    expectError(await admin(portal, 'POST', '/verify-link', badSum), 400, 'CHECKSUM_INVALID');

    const closed = createServer();
    const gone = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await admin(portal, 'POST', '/verify-link', { url: `${gone}/a.pvmp` });
    expectError(unreachable, 502, 'LINK_UNREACHABLE');

    const https = await startPortal({
      dataDir: await tempDir(),
      org: fixtureOrg({}),
      logger: false,
      https: true,
    });
    try {
      const untrusted = await admin(portal, 'POST', '/verify-link', {
        url: `${https.url}/images/a.pvmp`,
      });
      expectError(untrusted, 502, 'LINK_CERTIFICATE_INVALID');
    } finally {
      await https.close();
    }
  });
});
