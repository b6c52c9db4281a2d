import type { IncomingHttpHeaders } from 'node:http';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { bodyEncoding, type BodyEncoding } from './content-encoding.ts';
import { downloadFailed } from './download-errors.ts';
import { parseRetryAfter } from './retry-policy.ts';

/** What identifies one version of the file on the server. */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
  readonly total?: number;
}

/** What to do with a final (non-redirect) response. */
export type ResponseDecision =
  // Read the body; it starts at `offset` (0 after a restart). `restartReason` set: drop what is held first.
  | { kind: 'body'; validators: Validators; restartReason?: string; encoding?: BodyEncoding }
  // 416 on a resume request: the partial already holds the whole file.
  | { kind: 'complete' }
  // A 206 that cannot be used: drop what is held and ask again from byte 0.
  | { kind: 'restart'; reason: string };

const FILE_CHANGED = 'the file changed on the server';

/** The If-Range value for a resume: a strong ETag, else Last-Modified. */
export function ifRangeValue(validators: Validators): string | undefined {
  if (validators.etag !== undefined && !validators.etag.startsWith('W/')) return validators.etag;
  return validators.lastModified;
}

type Response = { readonly statusCode: number; readonly headers: IncomingHttpHeaders };

/** Maps a response to a decision; throws a ProvisimError (retryable or not) for error statuses. */
export function decideResponse(
  response: Response,
  offset: number,
  known: Validators | undefined,
): ResponseDecision {
  const decision = decideStatus(response, offset, known);
  if (decision.kind !== 'body') return decision;
  const encoding = bodyEncoding(response.headers);
  if (encoding === undefined) return decision;
  // A range of a compressed body is a range of the compressed bytes: it cannot follow held bytes.
  if (offset > 0 && decision.restartReason === undefined) {
    return { kind: 'restart', reason: `the server compressed the rest of the file (${encoding})` };
  }
  return { ...decision, encoding };
}

function decideStatus(
  response: Response,
  offset: number,
  known: Validators | undefined,
): ResponseDecision {
  const { statusCode: status, headers } = response;
  const details = { status };
  if (status === 401 || status === 403) throw new ProvisimError('IMAGE_AUTH_REQUIRED', { details });
  if (status === 404 || status === 410) throw new ProvisimError('IMAGE_NOT_FOUND', { details });
  if (status === 408 || status === 429 || (status >= 500 && status <= 599)) {
    const retryAfterMs = parseRetryAfter(headers['retry-after'], Date.now());
    throw downloadFailed(`HTTP ${status}`, { retryable: true, details: { status, retryAfterMs } });
  }
  if (status === 416 && offset > 0) return decideUnsatisfiable(headers, offset, known);
  if (status !== 200 && status !== 206) {
    throw downloadFailed(`the server answered HTTP ${status}`, { details });
  }
  const contentType = headers['content-type']?.toLowerCase() ?? '';
  if (contentType.startsWith('text/html') || contentType.startsWith('application/xhtml')) {
    throw new ProvisimError('NOT_A_DIRECT_LINK', { details: { status, contentType } });
  }
  const seen = { etag: headers.etag, lastModified: headers['last-modified'] };
  if (status === 200) {
    const total = identityLength(headers);
    const validators = { ...seen, total };
    if (offset === 0) return { kind: 'body', validators };
    const changed = known !== undefined && validatorsChanged(known, seen);
    return {
      kind: 'body',
      validators,
      restartReason: changed ? FILE_CHANGED : 'the server ignored the range request',
    };
  }
  const range = parseContentRange(headers['content-range']);
  if (range === undefined || range.start !== offset) {
    const what = `the server sent another byte range (${headers['content-range'] ?? 'no Content-Range'})`;
    if (offset === 0) throw downloadFailed(what, { details });
    return { kind: 'restart', reason: what };
  }
  if (offset === 0) return { kind: 'body', validators: { ...seen, total: range.total } };
  if (known !== undefined && validatorsChanged(known, seen)) {
    return { kind: 'restart', reason: FILE_CHANGED };
  }
  // With a validator sent in If-Range, a 206 vouches for the same file: a different total means
  // the first answer's Content-Length was wrong. Without one, the total is the only evidence.
  const vouched = known !== undefined && ifRangeValue(known) !== undefined;
  if (
    !vouched &&
    known?.total !== undefined &&
    range.total !== undefined &&
    range.total !== known.total
  ) {
    return { kind: 'restart', reason: FILE_CHANGED };
  }
  return { kind: 'body', validators: { ...seen, total: range.total ?? known?.total } };
}

/** `bytes a-b/total` (total may be `*`); undefined when malformed. */
export function parseContentRange(
  value: string | undefined,
): { start: number; end: number; total?: number } | undefined {
  // Stryker disable next-line StringLiteral: without the header, any fallback that is not a byte range fails the match as '' does
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (match === null) return undefined;
  const [start, end] = [Number(match[1]), Number(match[2])];
  if (end < start) return undefined;
  return match[3] === '*' ? { start, end } : { start, end, total: Number(match[3]) };
}

function decideUnsatisfiable(
  headers: IncomingHttpHeaders,
  offset: number,
  known: Validators | undefined,
): ResponseDecision {
  const stated = /^bytes \*\/(\d+)$/i.exec(headers['content-range']?.trim() ?? '')?.[1];
  const total = stated !== undefined ? Number(stated) : known?.total;
  if (total !== undefined && total !== offset) {
    return {
      kind: 'restart',
      reason: 'the partial download does not match the file on the server',
    };
  }
  // A 416 often carries no validators; only a present and different one disproves the partial.
  if (known?.etag !== undefined && headers.etag !== undefined && headers.etag !== known.etag) {
    return { kind: 'restart', reason: FILE_CHANGED };
  }
  return { kind: 'complete' };
}

function validatorsChanged(
  known: Validators,
  seen: { etag?: string; lastModified?: string },
): boolean {
  if (known.etag !== undefined && seen.etag !== known.etag) return true;
  return known.lastModified !== undefined && seen.lastModified !== known.lastModified;
}

function identityLength(headers: IncomingHttpHeaders): number | undefined {
  const encoding = headers['content-encoding']?.toLowerCase();
  if (encoding !== undefined && encoding !== 'identity') return undefined;
  const length = Number(headers['content-length']);
  return headers['content-length'] !== undefined && Number.isSafeInteger(length) && length >= 0
    ? length
    : undefined;
}
