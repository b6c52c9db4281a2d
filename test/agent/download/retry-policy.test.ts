import { AbortError } from 'p-retry';
import { describe, expect, it } from 'vitest';
import { downloadFailed } from '../../../electron/agent/download/download-errors.ts';
import { RetryableFailure, withRetries } from '../../../electron/agent/download/retry-policy.ts';
import { ProvisimError } from '../../../shared/provisim-error.ts';

const policy = { retries: 1, minDelayMs: 0, maxDelayMs: 0, maxAttempts: 5 };
const dropped = (movedBytes: number) =>
  new RetryableFailure(downloadFailed('network error ECONNRESET', { retryable: true }), movedBytes);

describe('withRetries', () => {
  it('stops at maxAttempts even when every attempt moves bytes', async () => {
    let calls = 0;
    const error = await withRetries(async () => {
      calls++;
      throw dropped(10);
    }, policy).catch((caught: unknown) => caught);

    expect(calls).toBe(5);
    expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', retryable: true });
    expect((error as Error).message).toMatch(/ECONNRESET after 5 attempts/);
  });

  it('spends the budget on attempts that move nothing', async () => {
    let calls = 0;
    const failures: Array<number | undefined> = [];
    const error = await withRetries(
      async () => {
        calls++;
        throw dropped(0);
      },
      { ...policy, onFailure: ({ retryInMs }) => failures.push(retryInMs) },
    ).catch((caught: unknown) => caught);

    expect(calls).toBe(2);
    expect(failures).toEqual([0, undefined]);
    expect((error as Error).message).toMatch(/after 2 attempts/);
  });

  it('passes a fatal error through after one attempt', async () => {
    const fatal = new ProvisimError('IMAGE_NOT_FOUND');
    let calls = 0;
    const error = await withRetries(async () => {
      calls++;
      throw new AbortError(fatal);
    }, policy).catch((caught: unknown) => caught);

    expect(error).toBe(fatal);
    expect(calls).toBe(1);
  });

  it('does not retry an unexpected error', async () => {
    const bug = new RangeError('bug');
    let calls = 0;
    const error = await withRetries(async () => {
      calls++;
      throw bug;
    }, policy).catch((caught: unknown) => caught);

    expect(error).toBe(bug);
    expect(calls).toBe(1);
  });

  it('returns the result of the first attempt that succeeds', async () => {
    let calls = 0;
    const result = await withRetries(async (attempt) => {
      calls++;
      if (attempt < 2) throw dropped(0);
      return 'done';
    }, policy);

    expect(result).toBe('done');
    expect(calls).toBe(2);
  });
});
