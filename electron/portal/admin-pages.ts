import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendApiError } from './api-error.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts';

/** Where `npm run build:renderer` writes the pages: the Control Center and the admin pages. */
export const BUILT_PAGES_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

/** What `/admin` answers when the pages have not been built. */
export const PAGES_NOT_BUILT =
  'The admin pages are not built yet. Run `npm run build:renderer` in the Provisim folder, then reload this page.\n';

// Only the kinds of file vite writes; anything else is not served.
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

// Vite names its assets `name-hash.ext`: one plain file name, no folders, no leading dot.
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

/**
 * The file under `<root>/assets` that a request names, or null when the name is not a plain
 * asset file name (a traversal like `../x`, a folder, a dot file) or of a kind never served.
 */
export function assetFile(root: string, name: string): string | null {
  if (!ASSET_NAME.test(name) || !(extname(name) in CONTENT_TYPES)) return null;
  return join(root, 'assets', name);
}

/**
 * Serves the built admin pages: `admin/index.html` at `/admin`, and the assets its relative
 * links point to (`../assets/…` from `/admin` is `/assets/…`), all with a strict CSP.
 */
export function registerAdminPages(app: FastifyInstance, root: string = BUILT_PAGES_DIR): void {
  const page = async (_request: unknown, reply: FastifyReply): Promise<FastifyReply> => {
    const html = await readPlainFile(join(root, 'admin', 'index.html'));
    if (!html) {
      return reply.code(503).type('text/plain; charset=utf-8').send(PAGES_NOT_BUILT);
    }
    // The page names its assets by hash: always ask for the newest page.
    return send(reply, html, '.html', 'no-cache');
  };
  app.get('/admin', page);
  app.get('/admin/', page);

  app.get<{ Params: { '*': string } }>('/assets/*', async (request, reply) => {
    const name = request.params['*'];
    const file = assetFile(root, name);
    const body = file && (await readPlainFile(file));
    if (!body) return sendApiError(reply, 404, 'NOT_FOUND', `There is no page asset "${name}".`);
    return send(reply, body, extname(name), 'public, max-age=31536000, immutable');
  });
}

function send(reply: FastifyReply, body: Buffer, ext: string, cache: string): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', cache)
    .type(CONTENT_TYPES[ext] ?? 'application/octet-stream')
    .send(body);
}

// A regular file's bytes; null when it is missing or something else (a folder, a socket).
async function readPlainFile(path: string): Promise<Buffer | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
    return await readFile(path);
  } catch {
    return null;
  }
}
