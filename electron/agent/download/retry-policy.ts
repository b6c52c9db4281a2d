import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import type { ProvisimError } from '../../../shared/provisim-error.ts';
import { downloadFailed } from './download-errors.ts';

/** An attempt that failed in a way worth retrying, with how many bytes it moved. */
export class RetryableFailure extends Error {
  override readonly name = 'RetryableFailure';

  constructor(
    readonly error: ProvisimError,
    readonly movedBytes: number,
  ) {
    super(error.message, { cause: error });
  }
}

/** How attempts are retried. */
export interface RetryPolicy {
  /** Retries for attempts that moved no bytes; an attempt that moved bytes resets it. */
  readonly retries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Hard cap on attempts in one run, progress or not. */
  readonly maxAttempts: number;
  readonly signal?: AbortSignal;
  readonly onFailure?: (failure: {
    attempt: number;
    error: ProvisimError;
    retryInMs?: number;
  }) => void;
}

/** Milliseconds from a Retry-After header (seconds or HTTP date); undefined when absent or bad. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP date starts with the name of the day; Date.parse alone reads "1.5" or "-5" as 2001.
  const date = /^(?:mon|tue|wed|thu|fri|sat|sun)/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before the next attempt: Retry-After if the server sent one, else backoff with jitter. */
export function retryDelayMs(
  retriesConsumed: number,
  error: ProvisimError,
  policy: RetryPolicy,
): number {
  const retryAfter = error.details.retryAfterMs;
  if (typeof retryAfter === 'number') return Math.min(retryAfter, policy.maxDelayMs);
  const base = policy.minDelayMs * 2 ** retriesConsumed;
  // Jitter spreads agents that lost the same server at the same moment.
  return Math.round(Math.min(policy.maxDelayMs, base * (1 + Math.random())));
}

/** Runs attempts until one succeeds; throws the first fatal error or DOWNLOAD_FAILED when out of retries. */
export async function withRetries<T>(
  run: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  let attempts = 0;
  const madeProgress = (error: unknown) =>
    error instanceof RetryableFailure && error.movedBytes > 0;
  for (;;) {
    try {
      // A fresh p-retry per round: an attempt that moved bytes ends the round with a full budget.
      return await pRetry(() => run(++attempts), {
        retries: policy.retries,
        // The waits are ours (in onFailedAttempt) so that they can honour Retry-After.
        minTimeout: 0,
        signal: policy.signal,
        onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
          if (!(error instanceof RetryableFailure)) throw error;
          const progress = madeProgress(error);
          const willRetry = attempts < policy.maxAttempts && (progress || retriesLeft > 0);
          const retryInMs = willRetry
            ? retryDelayMs(progress ? 0 : retriesConsumed, error.error, policy)
            : undefined;
          policy.onFailure?.({ attempt: attempts, error: error.error, retryInMs });
          if (retryInMs !== undefined && retryInMs > 0) {
            await sleep(retryInMs, undefined, { signal: policy.signal });
          }
        },
        shouldRetry: ({ error }) => attempts < policy.maxAttempts && !madeProgress(error),
      });
    } catch (error) {
      if (madeProgress(error) && attempts < policy.maxAttempts) continue;
      if (error instanceof RetryableFailure) {
        const what = String(error.error.details.reason ?? error.error.message);
        throw downloadFailed(`${what} after ${attempts} attempt${attempts === 1 ? '' : 's'}`, {
          retryable: true,
          details: { ...error.error.details, attempts },
          cause: error.error,
        });
      }
      throw error;
    }
  }
}
