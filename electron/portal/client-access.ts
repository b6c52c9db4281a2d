import { createHash, timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { sendApiError } from './api-error.ts';

/** How many refused check-ins one client address may make per time window. */
export interface RefusalLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** 20 refused check-ins per 10 minutes: room for typos, about 3,000 guesses a day. */
export const DEFAULT_REFUSAL_LIMIT: RefusalLimit = { max: 20, windowMs: 10 * 60_000 };

/** Counts refused check-ins per client address and says when an address must wait. */
export interface RefusalThrottle {
  /** Whole seconds the request's address must wait, or undefined when it may go on. */
  waitSeconds(request: FastifyRequest): Promise<number | undefined>;
  /** Counts one refused check-in for the request's address. */
  count(request: FastifyRequest): Promise<void>;
}

/**
 * Registers @fastify/rate-limit without limiting any route by itself, and returns a throttle
 * that only refusals feed: accepted check-ins are neither counted nor refused by it.
 */
export async function setupRefusalThrottle(
  app: FastifyInstance,
  limit: RefusalLimit = DEFAULT_REFUSAL_LIMIT,
): Promise<RefusalThrottle> {
  if (!Number.isInteger(limit.max) || limit.max < 1) {
    throw new TypeError(`refusedCheckIns.max must be a whole number of at least 1 (${limit.max})`);
  }
  if (!Number.isInteger(limit.windowMs) || limit.windowMs < 1) {
    throw new TypeError(
      `refusedCheckIns.windowMs must be a positive whole number (${limit.windowMs})`,
    );
  }
  // The client address is the socket's: X-Forwarded-For is not trusted, so it cannot be forged.
  await app.register(rateLimit, { global: false });
  const check = app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs });
  return {
    async waitSeconds(request) {
      const status = await check(request, { increment: false });
      if (status.isAllowed || status.remaining > 0) return undefined;
      return Math.max(1, status.ttlInSeconds);
    },
    async count(request) {
      await check(request);
    },
  };
}

/** Answers `429 CHECK_IN_THROTTLED` with `Retry-After`. */
export function sendThrottled(reply: FastifyReply, seconds: number): FastifyReply {
  reply.header('retry-after', String(seconds));
  return sendApiError(reply, 429, 'CHECK_IN_THROTTLED', ERROR_SENTENCES.CHECK_IN_THROTTLED);
}

/** Answers `401 DEVICE_KEY_MISMATCH`: the caller does not hold the device's license key. */
export function sendKeyMismatch(reply: FastifyReply): FastifyReply {
  return sendApiError(reply, 401, 'DEVICE_KEY_MISMATCH', ERROR_SENTENCES.DEVICE_KEY_MISMATCH);
}

const keyHolderSchema = z.object({ licenseKey: z.string().min(1).max(200) });

/** The `licenseKey` of a request body, or undefined when it has none that could be a key. */
export function licenseKeyIn(body: unknown): string | undefined {
  const parsed = keyHolderSchema.safeParse(body);
  return parsed.success ? parsed.data.licenseKey : undefined;
}

/**
 * Whether a presented secret equals the real one. Hashing first gives equal lengths, so the
 * comparison takes the same time whatever was sent.
 */
export function sameSecret(presented: string, secret: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(secret));
}
