import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendApiError } from '../api-error.ts';
import { sameSecret } from '../client-access.ts';
import { PortalDataError, errorCode } from './data-files.ts';

/** Name of the admin token file inside the data folder. */
export const ADMIN_TOKEN_FILE = 'admin-token';

/** The token that opens the admin and fault APIs, and where it comes from. */
export interface AdminTokenInfo {
  readonly token: string;
  /** The file it is stored in; absent for a token given at start. */
  readonly file?: string;
  /** True when this start made it: the only time it may be shown. */
  readonly generated: boolean;
}

/**
 * The data folder's admin token: read from `<dataDir>/admin-token`, or made and stored there
 * (owner-only) when the file does not exist yet.
 */
export async function ensureAdminToken(dataDir: string): Promise<AdminTokenInfo> {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  const stored = await readToken(file);
  if (stored !== undefined) return { token: stored, file, generated: false };
  const token = randomBytes(32).toString('base64url');
  try {
    // "wx": two portals starting on one folder must not each make their own token.
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(file, error);
    const theirs = await readToken(file);
    if (theirs !== undefined) return { token: theirs, file, generated: false };
  }
  return { token, file, generated: true };
}

async function readToken(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unusable(file, error);
  }
  const token = text.trim();
  if (!/^\S+$/.test(token)) {
    throw new PortalDataError(
      'ADMIN_TOKEN_INVALID',
      file,
      `The admin token file ${file} is empty or holds more than one word. Delete it to have a new token made at the next start, or start the portal with --admin-token.`,
    );
  }
  // The token opens the admin API: keep it from other users if someone widened the file.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return token;
}

function unusable(file: string, error: unknown): PortalDataError {
  return new PortalDataError(
    'ADMIN_TOKEN_INVALID',
    file,
    `The admin token file ${file} cannot be used (${errorCode(error)}). Check the data folder's permissions, or start the portal with --admin-token.`,
    error,
  );
}

/** An `onRequest` hook that lets a request through or answers it. */
export type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * Opens an API to `Authorization: Bearer <token>` only: 401 for a missing or wrong token, and 403
 * for every call when the portal has no token at all.
 */
export function bearerGuard(token: string | undefined, api: string, realm: string): Guard {
  return async (request, reply) => {
    if (token === undefined) {
      const message = `The ${api} is off: the portal was started without an admin token. Start it with --admin-token, or let provisim portal make one in its data folder.`;
      await sendApiError(reply, 403, 'FORBIDDEN', message, [
        { code: 'FORBIDDEN', path: '', reason: 'the portal has no admin token' },
      ]);
    } else if (!tokenMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', `Bearer realm="${realm}"`);
      const message = `The ${api} needs "Authorization: Bearer <admin token>". The token was printed when the portal first started and is stored in its data folder as admin-token.`;
      await sendApiError(reply, 401, 'UNAUTHORIZED', message, [
        { code: 'UNAUTHORIZED', path: '', reason: 'the admin token is missing or wrong' },
      ]);
    }
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match !== null && sameSecret(match[1]!, token);
}
