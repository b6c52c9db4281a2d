import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PAGES_NOT_BUILT,
  assetFile,
  registerAdminPages,
} from '../../electron/portal/admin-pages.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts';

const tempDir = useTempDirs();
let app: FastifyInstance;
let root: string;

beforeEach(async () => {
  const dir = await tempDir();
  root = join(dir, 'renderer');
  await mkdir(join(root, 'admin'), { recursive: true });
  await mkdir(join(root, 'assets', 'sub'), { recursive: true });
  await writeFile(join(root, 'admin', 'index.html'), '<!doctype html><title>Admin</title>');
  await writeFile(join(root, 'assets', 'admin-abc123.js'), 'console.log(1);');
  await writeFile(join(root, 'assets', 'sub', 'x.js'), 'nested');
  await writeFile(join(root, 'assets', '.env'), 'SECRET=1');
  await writeFile(join(root, 'assets', 'notes.txt'), 'not an asset kind');
  await writeFile(join(dir, 'secret.js'), 'outside');
  app = Fastify();
});

afterEach(async () => {
  await app.close();
});

describe('admin pages', () => {
  it('serves admin/index.html at /admin and /admin/ with a strict CSP', async () => {
    registerAdminPages(app, root);
    for (const url of ['/admin', '/admin/']) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.body).toContain('<title>Admin</title>');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('serves a built asset with its content type', async () => {
    registerAdminPages(app, root);
    const response = await app.inject({ url: '/assets/admin-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.body).toBe('console.log(1);');
  });

  it('refuses names that leave the assets folder, dot files, folders and other kinds of file', async () => {
    registerAdminPages(app, root);
    const urls = [
      '/assets/..%2fsecret.js',
      '/assets/..%2F..%2Fsecret.js',
      '/assets/%2e%2e/secret.js',
      '/assets/sub/x.js',
      '/assets/sub%2fx.js',
      '/assets/.env',
      '/assets/notes.txt',
      '/assets/sub',
      '/assets/missing-1.js',
    ];
    for (const url of urls) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toMatch(/outside|nested|SECRET|not an asset/);
    }
  });

  it('keeps asset names to one plain file name', () => {
    expect(assetFile('/r', 'admin-abc.js')).toBe(join('/r', 'assets', 'admin-abc.js'));
    expect(assetFile('/r', '../secret.js')).toBeNull();
    expect(assetFile('/r', 'a/../../b.js')).toBeNull();
    expect(assetFile('/r', 'a\\b.js')).toBeNull();
    expect(assetFile('/r', 'a.js\0.png')).toBeNull();
  });

  it('says how to build the pages when they are missing', async () => {
    registerAdminPages(app, join(root, 'nowhere'));
    const response = await app.inject({ url: '/admin' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe(PAGES_NOT_BUILT);
    expect(response.body).toContain('npm run build:renderer');
  });
});
