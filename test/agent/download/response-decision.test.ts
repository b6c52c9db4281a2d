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
    expect(decide(200, { etag: '"v2"', 'content-length': '42' }, 0, undefined)).toEqual({
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

function validatorHeaders() {
  return { etag: known.etag, 'last-modified': known.lastModified };
}
