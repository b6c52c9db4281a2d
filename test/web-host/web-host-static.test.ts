import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts';
import { rawRequest, useWebFixture } from './web-fixture.ts';

const { start, tempDir } = useWebFixture();

describe('the renderer files', () => {
  async function renderer() {
    const dir = await tempDir();
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log("hi")');
    const secret = join(await tempDir(), 'secret.txt');
    await writeFile(secret, 'secret');
    await symlink(secret, join(dir, 'assets', 'link.txt'));
    return dir;
  }

  it('serves index.html at / with a strict CSP, and the assets with their types', async () => {
    const { host } = await start({ staticDir: await renderer() });
    const page = await rawRequest(`${host.url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('id="root"');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const script = await rawRequest(`${host.url}/assets/app.js`);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await rawRequest(`${host.url}/settings`)).body).toContain('id="root"');
  });

  it('serves the page without the token, also with a stale one in its address', async () => {
    const { host } = await start({ staticDir: await renderer() });
    for (const path of ['/', '/?token=from-an-earlier-start', '/assets/app.js', '/settings']) {
      const res = await rawRequest(`${host.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.body, path).not.toContain(host.token);
    }
  });

  it('never serves a file outside its folder', async () => {
    const { host } = await start({ staticDir: await renderer() });
    for (const path of [
      '/..%2f..%2fetc%2fpasswd',
      '/assets/%2e%2e/%2e%2e/x.js',
      '/assets/link.txt',
      '/missing.js',
    ]) {
      const res = await rawRequest(`${host.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('secret');
    }
  });
});
