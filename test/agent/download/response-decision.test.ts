import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  type Validators,
  decideResponse,
  ifRangeValue,
  parseContentRange,
} from '../../../electron/agent/download/response-decision.ts';
import { parseRetryAfter, retryDelayMs } from '../../../electron/agent/download/retry-policy.ts';
import { ProvisimError, isProvisimError } from '../../../shared/provisim-error.ts';

const known = { etag: '"v1"', lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT', total: 1000 };

function decide(
  statusCode: number,
  headers: IncomingHttpHeaders,
  offset = 0,
  validators: Validators | undefined = known,
) {
  return decideResponse({ statusCode, headers }, offset, validators);
}

/** Like `decide` for an agent that stored no validators (`undefined` would pick `known` above). */
function decideUnknown(statusCode: number, headers: IncomingHttpHeaders, offset = 0) {
  return decideResponse({ statusCode, headers }, offset, undefined);
}

function thrown(run: () => unknown): ProvisimError {
  try {
    run();
  } catch (error) {
    if (isProvisimError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProvisimError');
}

describe('decideResponse', () => {
  it('takes a 200 at offset 0 with its validators and Content-Length as total', () => {
    expect(decideUnknown(200, { etag: '"v2"', 'content-length': '42' })).toEqual({
      kind: 'body',
      validators: { etag: '"v2"', lastModified: undefined, total: 42 },
    });
  });

  it('leaves the total unknown for an encoded body and names the decoding', () => {
    const decision = decide(200, { 'content-length': '42', 'content-encoding': 'gzip' });
    expect(decision).toMatchObject({
      kind: 'body',
      validators: { total: undefined },
      encoding: 'gzip',
    });
    expect(decide(200, { 'content-encoding': 'x-gzip' })).toMatchObject({ encoding: 'gzip' });
    expect(decide(200, { 'content-encoding': 'br' })).toMatchObject({ encoding: 'br' });
    expect(decide(200, { 'content-encoding': 'identity' })).not.toHaveProperty('encoding');
  });

  it('restarts when the rest of the file comes compressed, since ranges then count compressed bytes', () => {
    const headers = {
      ...validatorHeaders(),
      'content-range': 'bytes 400-999/1000',
      'content-encoding': 'gzip',
    };
    expect(decide(206, headers, 400)).toEqual({
      kind: 'restart',
      reason: 'the server compressed the rest of the file (gzip)',
    });
  });

  it('refuses a coding it cannot decode, without retrying', () => {
    const error = thrown(() => decide(200, { 'content-encoding': 'zstd' }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('"zstd"');
  });

  it('accepts a 206 at the local size with matching validators', () => {
    const headers = { ...validatorHeaders(), 'content-range': 'bytes 400-999/1000' };
    expect(decide(206, headers, 400)).toEqual({ kind: 'body', validators: known });
  });

  it('asks again from zero for a 206 whose Last-Modified differs', () => {
    const headers = {
      ...validatorHeaders(),
      'last-modified': 'Thu, 02 Jan 2025 00:00:00 GMT',
      'content-range': 'bytes 400-999/1000',
    };
    expect(decide(206, headers, 400)).toEqual({
      kind: 'restart',
      reason: 'the file changed on the server',
    });
  });

  it('asks again from zero for a 206 whose total differs when nothing vouches for the file', () => {
    const headers = { 'content-range': 'bytes 400-1999/2000' };
    expect(decide(206, headers, 400, { total: 1000 })).toMatchObject({ kind: 'restart' });
  });

  it('trusts the Content-Range total of a 206 that If-Range vouched for', () => {
    // The first answer's Content-Length said 1000; the file is 2000 and the ETag is the same.
    const headers = { ...validatorHeaders(), 'content-range': 'bytes 400-1999/2000' };
    expect(decide(206, headers, 400)).toEqual({
      kind: 'body',
      validators: { ...known, total: 2000 },
    });
  });

  it('asks again from zero for a 206 without Content-Range', () => {
    expect(decide(206, validatorHeaders(), 400)).toMatchObject({
      kind: 'restart',
      reason: expect.stringMatching(/no Content-Range/),
    });
  });

  it('fails a 206 at offset 0 that does not start at byte 0', () => {
    const error = thrown(() => decide(206, { 'content-range': 'bytes 5-9/10' }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.retryable).toBe(false);
  });

  it('fails a 416 at offset 0 and another 2xx without retry', () => {
    expect(thrown(() => decide(416, {})).retryable).toBe(false);
    expect(thrown(() => decide(204, {})).code).toBe('DOWNLOAD_FAILED');
  });

  it('calls a 416 complete when the stated size is the local size', () => {
    expect(decide(416, { 'content-range': 'bytes */1000' }, 1000)).toEqual({ kind: 'complete' });
  });

  it('restarts on a 416 with another ETag', () => {
    expect(decide(416, { etag: '"v9"' }, 1000)).toMatchObject({ kind: 'restart' });
  });

  it('restarts on a 416 for a partial shorter than the stored total', () => {
    expect(decide(416, {}, 500)).toMatchObject({ kind: 'restart' });
  });

  it('carries Retry-After on retryable statuses', () => {
    const error = thrown(() => decide(503, { 'retry-after': '7' }));
    expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', retryable: true });
    expect(error.details).toMatchObject({ status: 503, retryAfterMs: 7000 });
  });

  it('treats application/xhtml+xml like text/html', () => {
    expect(thrown(() => decide(200, { 'content-type': 'application/xhtml+xml' })).code).toBe(
      'NOT_A_DIRECT_LINK',
    );
  });
});

describe('header helpers', () => {
  it('prefers a strong ETag for If-Range and falls back to Last-Modified', () => {
    expect(ifRangeValue({ etag: '"a"', lastModified: 'x' })).toBe('"a"');
    expect(ifRangeValue({ etag: 'W/"a"', lastModified: 'x' })).toBe('x');
    expect(ifRangeValue({})).toBeUndefined();
  });

  it('parses Content-Range and refuses malformed values', () => {
    expect(parseContentRange('bytes 0-9/10')).toEqual({ start: 0, end: 9, total: 10 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 9 });
    expect(parseContentRange('bytes 9-5/10')).toBeUndefined();
    expect(parseContentRange('items 0-9/10')).toBeUndefined();
    expect(parseContentRange(undefined)).toBeUndefined();
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('caps backoff and Retry-After by the longest delay', () => {
    const policy = { retries: 5, minDelayMs: 100, maxDelayMs: 1000, maxAttempts: 10 };
    const plain = new ProvisimError('DOWNLOAD_FAILED');
    const later = new ProvisimError('DOWNLOAD_FAILED', { details: { retryAfterMs: 60_000 } });
    expect(retryDelayMs(10, plain, policy)).toBe(1000);
    expect(retryDelayMs(0, later, policy)).toBe(1000);
  });
});

describe('decideResponse on error statuses', () => {
  it.each([401, 403])('asks for credentials on HTTP %i, without retrying', (status) => {
    const error = thrown(() => decide(status, {}));
    expect(error).toMatchObject({ code: 'IMAGE_AUTH_REQUIRED', retryable: false });
    expect(error.details).toEqual({ status });
  });

  it.each([404, 410])('calls the image missing on HTTP %i, without retrying', (status) => {
    const error = thrown(() => decide(status, {}));
    expect(error).toMatchObject({ code: 'IMAGE_NOT_FOUND', retryable: false });
    expect(error.details).toEqual({ status });
  });

  it.each([408, 429, 500, 502, 599])('retries HTTP %i and says which status it was', (status) => {
    const error = thrown(() => decide(status, {}));
    expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', retryable: true });
    expect(error.details).toMatchObject({ status, reason: `HTTP ${status}` });
  });

  it('reads a multi-digit Retry-After in seconds', () => {
    expect(thrown(() => decide(429, { 'retry-after': '120' })).details).toMatchObject({
      retryAfterMs: 120_000,
    });
  });

  it.each([204, 304, 400, 407, 416, 499, 600])(
    'fails HTTP %i at the first byte without retrying and names the status',
    (status) => {
      const error = thrown(() => decide(status, {}));
      expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', retryable: false });
      expect(error.details).toMatchObject({
        status,
        reason: `the server answered HTTP ${status}`,
      });
    },
  );

  it('refuses an HTML page with a charset or in capitals as a link to a web page', () => {
    for (const contentType of ['text/html; charset=utf-8', 'Text/HTML']) {
      const error = thrown(() => decide(200, { 'content-type': contentType }));
      expect(error.code).toBe('NOT_A_DIRECT_LINK');
      expect(error.details).toEqual({ status: 200, contentType: contentType.toLowerCase() });
    }
  });

  it('takes a body whose type only mentions html further on', () => {
    const headers = { 'content-type': 'application/x-html-archive', 'content-length': '3' };
    expect(decideUnknown(200, headers)).toMatchObject({ kind: 'body' });
  });
});

describe('decideResponse on a 200', () => {
  it('counts Content-Length 0 and an identity coding as a known total', () => {
    expect(decideUnknown(200, { 'content-length': '0' })).toMatchObject({
      validators: { total: 0 },
    });
    const identity = { 'content-length': '42', 'content-encoding': 'identity' };
    expect(decideUnknown(200, identity)).toMatchObject({ validators: { total: 42 } });
  });

  it.each([undefined, '-1', '1.5', 'abc'])(
    'leaves the total unknown for Content-Length %j',
    (length) => {
      const headers = length === undefined ? {} : { 'content-length': length };
      expect(decideUnknown(200, headers)).toEqual({
        kind: 'body',
        validators: { etag: undefined, lastModified: undefined, total: undefined },
      });
    },
  );

  it('starts over from byte 0 when the server ignores the range of a resume', () => {
    const headers = { ...validatorHeaders(), 'content-length': '1000' };
    expect(decide(200, headers, 400)).toEqual({
      kind: 'body',
      validators: known,
      restartReason: 'the server ignored the range request',
    });
  });

  it('says the file changed when a 200 to a resume carries another ETag', () => {
    const headers = { ...validatorHeaders(), etag: '"v2"', 'content-length': '1000' };
    expect(decide(200, headers, 400)).toMatchObject({
      kind: 'body',
      validators: { etag: '"v2"' },
      restartReason: 'the file changed on the server',
    });
  });

  it('starts over on a 200 to a resume with no stored validators', () => {
    expect(decideUnknown(200, { 'content-length': '1000' }, 400)).toMatchObject({
      kind: 'body',
      restartReason: 'the server ignored the range request',
    });
  });

  it('decodes a compressed 200 to a resume, since it starts over from byte 0 anyway', () => {
    const headers = { ...validatorHeaders(), 'content-encoding': 'gzip' };
    expect(decide(200, headers, 400)).toEqual({
      kind: 'body',
      validators: { etag: known.etag, lastModified: known.lastModified, total: undefined },
      restartReason: 'the server ignored the range request',
      encoding: 'gzip',
    });
  });
});

describe('decideResponse on a 206', () => {
  it('takes a 206 from byte 0 with the validators it carries, whatever was stored', () => {
    const headers = { etag: '"v2"', 'content-range': 'bytes 0-1999/2000' };
    expect(decide(206, headers, 0)).toEqual({
      kind: 'body',
      validators: { etag: '"v2"', lastModified: undefined, total: 2000 },
    });
  });

  it('names the range the server sent instead of the one asked for', () => {
    const headers = { ...validatorHeaders(), 'content-range': 'bytes 0-999/1000' };
    expect(decide(206, headers, 400)).toEqual({
      kind: 'restart',
      reason: 'the server sent another byte range (bytes 0-999/1000)',
    });
    const error = thrown(() => decide(206, { 'content-range': 'bytes 5-9/10' }));
    expect(error.details).toEqual({
      status: 206,
      reason: 'the server sent another byte range (bytes 5-9/10)',
    });
  });

  it('resumes with no stored validators, taking the total from Content-Range', () => {
    expect(decideUnknown(206, { 'content-range': 'bytes 400-999/1000' }, 400)).toEqual({
      kind: 'body',
      validators: { etag: undefined, lastModified: undefined, total: 1000 },
    });
    expect(decideUnknown(206, { 'content-range': 'bytes 400-999/*' }, 400)).toEqual({
      kind: 'body',
      validators: { etag: undefined, lastModified: undefined, total: undefined },
    });
  });

  it('keeps the stored total when Content-Range gives none', () => {
    expect(decide(206, { 'content-range': 'bytes 400-999/*' }, 400, { total: 1000 })).toEqual({
      kind: 'body',
      validators: { etag: undefined, lastModified: undefined, total: 1000 },
    });
  });

  it('resumes without validators when the total is the stored one', () => {
    const headers = { 'content-range': 'bytes 400-999/1000' };
    expect(decide(206, headers, 400, { total: 1000 })).toMatchObject({ kind: 'body' });
  });

  it('takes the total of a 206 when no total was stored', () => {
    const headers = { etag: 'W/"a"', 'content-range': 'bytes 400-1999/2000' };
    expect(decide(206, headers, 400, { etag: 'W/"a"' })).toMatchObject({
      kind: 'body',
      validators: { total: 2000 },
    });
  });

  it('does not let a weak ETag vouch for a different total', () => {
    const headers = { etag: 'W/"a"', 'content-range': 'bytes 400-1999/2000' };
    expect(decide(206, headers, 400, { etag: 'W/"a"', total: 1000 })).toEqual({
      kind: 'restart',
      reason: 'the file changed on the server',
    });
  });

  it('asks again from zero for a 206 whose ETag differs while Last-Modified is the same', () => {
    const headers = { ...validatorHeaders(), etag: '"v2"', 'content-range': 'bytes 400-999/1000' };
    expect(decide(206, headers, 400)).toEqual({
      kind: 'restart',
      reason: 'the file changed on the server',
    });
  });

  it('compares only the validators that were stored', () => {
    const range = { 'content-range': 'bytes 400-999/1000' };
    const onlyDate = { lastModified: known.lastModified };
    const onlyTag = { etag: known.etag };
    expect(
      decide(206, { ...range, etag: '"new"', 'last-modified': known.lastModified }, 400, onlyDate),
    ).toMatchObject({ kind: 'body' });
    expect(
      decide(206, { ...range, etag: known.etag, 'last-modified': 'later' }, 400, onlyTag),
    ).toMatchObject({ kind: 'body' });
  });

  it('keeps the reason of a restart when the answer is also compressed', () => {
    const headers = {
      ...validatorHeaders(),
      etag: '"v2"',
      'content-range': 'bytes 400-999/1000',
      'content-encoding': 'gzip',
    };
    expect(decide(206, headers, 400)).toEqual({
      kind: 'restart',
      reason: 'the file changed on the server',
    });
  });
});

describe('decideResponse on a 416 to a resume', () => {
  it('calls the partial complete when the stated size matches, even if a stale total was stored', () => {
    const headers = { 'content-range': 'bytes */1000' };
    expect(decide(416, headers, 1000, { ...known, total: 2000 })).toEqual({ kind: 'complete' });
  });

  it('reads a multi-digit stated size and restarts when it is not the local size', () => {
    expect(decideUnknown(416, { 'content-range': 'bytes */1000' }, 500)).toEqual({
      kind: 'restart',
      reason: 'the partial download does not match the file on the server',
    });
    expect(decideUnknown(416, { 'content-range': ' bytes */1000 ' }, 500)).toMatchObject({
      kind: 'restart',
    });
  });

  it('ignores a Content-Range that is not exactly "bytes */size"', () => {
    for (const value of ['xbytes */1000', 'bytes */1000x', 'bytes */abc']) {
      expect(decideUnknown(416, { 'content-range': value }, 500)).toEqual({
        kind: 'complete',
      });
    }
  });

  it('calls the partial complete when nothing was stored and nothing is stated', () => {
    expect(decideUnknown(416, {}, 500)).toEqual({ kind: 'complete' });
    expect(decideUnknown(416, { etag: '"v9"' }, 500)).toEqual({ kind: 'complete' });
  });

  it('calls the partial complete when the ETag is the stored one or none was stored', () => {
    expect(decide(416, { etag: known.etag }, 1000)).toEqual({ kind: 'complete' });
    expect(decide(416, { etag: '"v9"' }, 1000, { total: 1000 })).toEqual({ kind: 'complete' });
  });

  it('calls a compressed 416 complete, since it carries no body', () => {
    const headers = { 'content-range': 'bytes */1000', 'content-encoding': 'gzip' };
    expect(decide(416, headers, 1000)).toEqual({ kind: 'complete' });
  });

  it('says the file changed on a 416 with another ETag', () => {
    expect(decide(416, { etag: '"v9"' }, 1000)).toEqual({
      kind: 'restart',
      reason: 'the file changed on the server',
    });
  });
});

describe('parseContentRange edges', () => {
  it('accepts a one-byte range and surrounding spaces', () => {
    expect(parseContentRange('bytes 5-5/10')).toEqual({ start: 5, end: 5, total: 10 });
    expect(parseContentRange(' bytes 0-9/10 ')).toEqual({ start: 0, end: 9, total: 10 });
  });

  it('refuses text before or after the range', () => {
    expect(parseContentRange('xbytes 0-9/10')).toBeUndefined();
    expect(parseContentRange('bytes 0-9/10x')).toBeUndefined();
  });
});

function validatorHeaders() {
  return { etag: known.etag, 'last-modified': known.lastModified };
}
