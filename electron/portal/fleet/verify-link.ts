import type { VerifyLinkAnswer } from '../../../shared/admin-fleet.ts';
import { probe, type ProbeAnswer } from './link-probe.ts';

// Where identity providers and file hosts send a visitor who must sign in first.
const SIGN_IN = /(^|[./-])(log-?in|sign-?in|signon|sso|oauth2?|saml|auth|accounts?)([./?=_-]|$)/i;

/** What the headers say about a link, before any download. */
export type LinkFacts = Omit<VerifyLinkAnswer, 'sha256' | 'checksumMatches'> & {
  /** The status of the answer the facts come from, for a download to follow. */
  readonly status: number;
};

/**
 * Checks an image link as `curl -I` and `curl -r 0-0` would: a HEAD first; unless it asks for
 * credentials, a GET for the first byte, whose answer is the one that counts (a server may lie in
 * Accept-Ranges); the HEAD's answers stand in when the GET fails.
 */
export async function checkLink(url: string): Promise<LinkFacts> {
  const head = await probe(url, 'HEAD').catch(() => undefined);
  const asksCredentials = head !== undefined && (head.status === 401 || head.status === 403);
  const ranged = asksCredentials ? undefined : await probeOrThrow(url, head);
  const main = ranged ?? head!;
  const contentType = header(main, 'content-type') ?? null;
  const html = /^\s*(text\/html|application\/xhtml)/i.test(contentType ?? '');
  const signInRedirect = main.redirected && SIGN_IN.test(signInPart(main.finalUrl));
  const needsAuthentication =
    asksCredentials || main.status === 401 || main.status === 403 || signInRedirect;
  const ok = main.status >= 200 && main.status < 300;
  const supportsRanges = ranged
    ? ranged.status === 206
    : header(head!, 'accept-ranges')?.toLowerCase() === 'bytes';
  const sizeBytes = sizeOf(ranged, head);
  const problems: string[] = [];
  if (signInRedirect) problems.push(SENTENCES.signIn(main.finalUrl));
  else if (needsAuthentication) problems.push(SENTENCES.credentials(main.status));
  else if (!ok) problems.push(SENTENCES.status(main.status));
  else if (html) problems.push(SENTENCES.html(contentType!));
  if (ok && !html && !supportsRanges) problems.push(SENTENCES.noRanges);
  if (ok && !html && sizeBytes === null) problems.push(SENTENCES.noSize);
  const direct = ok && !html && !needsAuthentication;
  return {
    direct,
    needsAuthentication,
    supportsRanges,
    sizeBytes,
    contentType,
    problems,
    status: main.status,
  };
}

/** What an admin reads for each finding. */
export const SENTENCES = {
  credentials: (status: number) =>
    `The server asks for credentials (HTTP ${status}), but Macs download golden images without signing in. Share the file so that anyone with the link can download it, or host it where no sign-in is needed.`,
  signIn: (to: string) =>
    `The link redirects to a sign-in page (${to}), but Macs download golden images without signing in. Share the file so that anyone with the link can download it, or host it where no sign-in is needed.`,
  status: (status: number) =>
    status === 404 || status === 410
      ? `The server answered HTTP ${status}: there is no file at this link. Check the link, or upload the image again.`
      : `The server answered HTTP ${status} instead of the file. Check the link and the server, then verify again.`,
  html: (type: string) =>
    `The link opens a web page (${type}), not the image file. Use the direct download link of the .pvmp file, not the link to its preview or download page.`,
  noRanges:
    'The server ignores byte ranges: a download that is interrupted must start over from the beginning. Host the image where ranged requests work, as most web servers and object stores do.',
  noSize:
    'The server does not tell the size of the file, so Macs cannot check their free disk space before the download starts.',
  downloadFailed: (transferred: number, reason: string) =>
    `The download stopped after ${transferred} bytes (${reason}). Verify again; if it keeps failing, check the server.`,
  checksumMismatch: (actual: string, expected: string) =>
    `The file's SHA-256 is ${actual}, not the checksum given (${expected}). Macs would refuse this image: paste the checksum of this very file, or upload the file that matches the checksum.`,
} as const;

async function probeOrThrow(
  url: string,
  head: ProbeAnswer | undefined,
): Promise<ProbeAnswer | undefined> {
  try {
    return await probe(url, 'GET');
  } catch (error) {
    // Without any answer at all, the link cannot be judged: that is the admin's error.
    if (head === undefined) throw error;
    return undefined;
  }
}

// Host and path only: a query string like ?next=/login must not make a file link a sign-in page.
function signInPart(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}${parsed.pathname}`;
}

function header(answer: ProbeAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sizeOf(ranged: ProbeAnswer | undefined, head: ProbeAnswer | undefined): number | null {
  const total = ranged && /\/(\d+)\s*$/.exec(header(ranged, 'content-range') ?? '')?.[1];
  if (total) return Number(total);
  const whole = [ranged, head].find((a) => a && a.status === 200 && header(a, 'content-length'));
  const length = whole && Number(header(whole, 'content-length'));
  return length !== undefined && Number.isSafeInteger(length) ? length : null;
}
