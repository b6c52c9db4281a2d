import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { VerifyLinkAnswer } from '../../../shared/admin-fleet.ts';
import { isWebUrl } from '../../../shared/web-values.ts';
import { AdminError } from '../admin/admin-error.ts';
import { describeInvalid, zodProblems } from '../api-error.ts';
import type { AdminStream } from './admin-stream.ts';
import { checksumHex } from './checksum-text.ts';
import { downloadAndHash } from './verify-download.ts';
import { SENTENCES, checkLink } from './verify-link.ts';

const verifySchema = z.strictObject({
  url: z.string().min(1).max(8192),
  checksum: z.string().min(1).max(8192).optional(),
  download: z.boolean().optional(),
});

/** Registers `POST /verify-link` on the admin scope: "Verify link" of the golden image card. */
export function registerVerifyRoute(
  admin: FastifyInstance,
  stream: AdminStream,
  baseUrl: () => string,
): void {
  admin.post('/verify-link', async (request): Promise<VerifyLinkAnswer> => {
    const body = verifySchema.safeParse(request.body);
    if (!body.success) {
      throw new AdminError(
        'BAD_REQUEST',
        describeInvalid('verify-link request', body.error),
        zodProblems(body.error),
      );
    }
    const { checksum, download } = body.data;
    const url = linkOf(body.data.url, baseUrl());
    const expected = checksum === undefined ? undefined : checksumHex(checksum, 'checksum');
    const { status: _status, ...facts } = await checkLink(url);
    if (!download || !facts.direct) return facts;

    const onProgress = (transferred: number, total: number | null) =>
      stream.send({ type: 'verify-progress', url, transferred, total });
    const hashed = await downloadAndHash(url, onProgress);
    if (!hashed.ok) {
      return {
        ...facts,
        problems: [...facts.problems, SENTENCES.downloadFailed(hashed.transferred, hashed.reason)],
      };
    }
    if (expected === undefined) return { ...facts, sha256: hashed.sha256 };
    const checksumMatches = hashed.sha256 === expected;
    const problems = checksumMatches
      ? facts.problems
      : [...facts.problems, SENTENCES.checksumMismatch(hashed.sha256, expected)];
    return { ...facts, problems, sha256: hashed.sha256, checksumMatches };
  });
}

// An http(s) link, or a path under /images/ that this portal hosts (as golden images allow).
function linkOf(raw: string, baseUrl: string): string {
  const text = raw.trim();
  let url: URL | undefined;
  try {
    url = text.startsWith('/images/') ? new URL(text, baseUrl) : new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !isWebUrl(url) || url.username || url.password) {
    throw new AdminError(
      'IMAGE_URL_INVALID',
      `"${text.slice(0, 200)}" is not a link the portal can verify. Give a direct http:// or https:// link to the image file (without a user name or password in it), or a path under /images/ for a file this portal hosts.`,
    );
  }
  return url.href;
}
