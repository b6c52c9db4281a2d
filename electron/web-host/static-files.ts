import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The route of the page's files: the one route served without the access token. */
export const PAGE_ROUTE = '/*';

/** Serves the built renderer from `root`: files by path, index.html at `/` and for app routes. */
export function registerStaticFiles(app: FastifyInstance, root: string): void {
  const base = resolve(root);
  app.get(PAGE_ROUTE, async (request, reply) => {
    const path = new URL(request.url, 'http://host').pathname;
    const file = await locate(base, path);
    if (file) return sendFile(reply, file);
    // A path without an extension is a route of the single-page app: it gets the page.
    if (extname(path) === '') {
      const index = await locate(base, '/index.html');
      if (index) return sendFile(reply, index);
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found.');
  });
}

// The path came from the network: only a file inside base is ever returned.
async function locate(base: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.split(/[\\/]/).includes('..')) return undefined;
  const wanted = join(base, decoded.endsWith('/') ? `${decoded}index.html` : decoded);
  try {
    // Resolved, so that a symbolic link cannot lead out of the folder either.
    const [real, realBase] = await Promise.all([realpath(wanted), realpath(base)]);
    if (!real.startsWith(realBase + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function sendFile(reply: FastifyReply, file: string): FastifyReply {
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  reply
    .type(type)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-cache')
    .header('referrer-policy', 'no-referrer');
  if (type.startsWith('text/html')) {
    reply
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-frame-options', 'DENY');
  }
  return reply.send(createReadStream(file));
}
