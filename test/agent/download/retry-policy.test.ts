import { AbortError } from 'p-retry';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { downloadFailed } from '../../../electron/agent/download/download-errors.ts';
import {
  RetryableFailure,
  parseRetryAfter,
  retryDelayMs,
  withRetries,
} from '../../../electron/agent/download/retry-policy.ts';
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

describe('withRetries limits', () => {
  it('stops at maxAttempts when no attempt moves bytes, before the retries run out', async () => {
    let calls = 0;
    const error = await withRetries(
      async () => {
        calls++;
        throw dropped(0);
      },
      { ...policy, retries: 10, maxAttempts: 3 },
    ).catch((caught: unknown) => caught);

    expect(calls).toBe(3);
    expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', details: { attempts: 3 } });
    expect((error as Error).message).toMatch(/ECONNRESET after 3 attempts\./);
  });

  it('announces no further wait on the attempt that reaches the cap', async () => {
    const failures: Array<{ attempt: number; retryInMs?: number }> = [];
    await withRetries(
      async () => {
        throw dropped(10);
      },
      {
        ...policy,
        maxAttempts: 3,
        onFailure: ({ attempt, retryInMs }) => failures.push({ attempt, retryInMs }),
      },
    ).catch(() => undefined);

    expect(failures).toEqual([
      { attempt: 1, retryInMs: 0 },
      { attempt: 2, retryInMs: 0 },
      { attempt: 3, retryInMs: undefined },
    ]);
  });

  it('says "1 attempt" when the only attempt failed', async () => {
    const error = await withRetries(
      async () => {
        throw dropped(0);
      },
      { ...policy, retries: 0 },
    ).catch((caught: unknown) => caught);

    expect((error as Error).message).toContain('network error ECONNRESET after 1 attempt.');
  });

  it("keeps the last failure's details and cause and adds the number of attempts", async () => {
    const last = downloadFailed('HTTP 503', { retryable: true, details: { status: 503 } });
    const error = await withRetries(async () => {
      throw new RetryableFailure(last, 0);
    }, policy).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ details: { status: 503, attempts: 2 } });
    expect((error as Error).cause).toBe(last);
  });

  it('waits the announced delay before the next attempt', async () => {
    const started: number[] = [];
    const announced: number[] = [];
    await withRetries(
      async () => {
        started.push(performance.now());
        throw dropped(0);
      },
      {
        ...policy,
        minDelayMs: 40,
        maxDelayMs: 40,
        onFailure: ({ retryInMs }) => {
          if (retryInMs !== undefined) announced.push(performance.now() + retryInMs);
        },
      },
    ).catch(() => undefined);

    expect(started).toHaveLength(2);
    expect(announced).toHaveLength(1);
    // Timers may fire a millisecond early; the wait itself is 40 ms.
    expect(started[1]!).toBeGreaterThanOrEqual(announced[0]! - 2);
  });

  it('stops waiting as soon as the signal fires', async () => {
    const controller = new AbortController();
    let calls = 0;
    const outcome = withRetries(
      async () => {
        calls++;
        throw dropped(0);
      },
      {
        ...policy,
        minDelayMs: 60_000,
        maxDelayMs: 60_000,
        signal: controller.signal,
        onFailure: () => setTimeout(() => controller.abort(), 10),
      },
    ).then(
      () => 'resolved',
      (error: unknown) => (error as Error).name,
    );

    expect(await Promise.race([outcome, delay(2000, 'still waiting')])).toBe('AbortError');
    expect(calls).toBe(1);
  });
});

describe('RetryableFailure', () => {
  it('is an Error named RetryableFailure with the failure as message and cause', () => {
    const error = downloadFailed('network error ECONNRESET', { retryable: true });
    const failure = new RetryableFailure(error, 42);

    expect(failure).toBeInstanceOf(Error);
    expect(failure.name).toBe('RetryableFailure');
    expect(failure.message).toBe(error.message);
    expect(failure.cause).toBe(error);
    expect(failure.movedBytes).toBe(42);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads whole seconds, also with several digits and around spaces', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });

  it('reads an HTTP date in the IMF and RFC 850 forms', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:02:00 GMT', now)).toBe(120_000);
    expect(parseRetryAfter('Wednesday, 01-Jan-25 00:02:00 GMT', now)).toBe(120_000);
  });

  it.each(['1.5', '-5', '+5', '120s', 'x120', 'in 5', 'x Wed, 01 Jan 2025 00:02:00 GMT', ''])(
    'treats %j as no Retry-After, so the usual backoff applies',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );
});

describe('retryDelayMs', () => {
  const backoff = { retries: 5, minDelayMs: 1000, maxDelayMs: 1_000_000, maxAttempts: 10 };
  const plain = new ProvisimError('DOWNLOAD_FAILED');

  it('doubles the backoff per retry and spreads it up to twice as long', () => {
    for (const [retries, base] of [
      [0, 1000],
      [1, 2000],
      [3, 8000],
    ] as const) {
      const delays = Array.from({ length: 200 }, () => retryDelayMs(retries, plain, backoff));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(base);
      expect(Math.max(...delays)).toBeLessThanOrEqual(2 * base);
      // 200 draws: the chance that none falls in the lowest or highest quarter is about 1e-25.
      expect(Math.min(...delays)).toBeLessThan(1.25 * base);
      expect(Math.max(...delays)).toBeGreaterThan(1.75 * base);
    }
  });

  it("takes the server's Retry-After as it is, also when it is zero", () => {
    const after = (retryAfterMs: number) =>
      new ProvisimError('DOWNLOAD_FAILED', { details: { retryAfterMs } });
    expect(retryDelayMs(3, after(0), backoff)).toBe(0);
    expect(retryDelayMs(3, after(1500), backoff)).toBe(1500);
  });
});
