import type { z } from 'zod';
import { ERROR_SENTENCES, isErrorCode, type ErrorCode } from '../../shared/codes.ts';
import type { IpcError, Result } from '../../shared/ipc-contract.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';

// Errors where the same request may well succeed later without anything changed by the user.
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set([
  'PORTAL_UNREACHABLE',
  'DOWNLOAD_FAILED',
  'AGENT_BUSY',
  'HOST_UNREACHABLE',
  'JOB_STATE_CONFLICT',
]);

/** Any thrown value (or a result's `{ code, message }`) as an IPC error; the unexpected become INTERNAL_ERROR. */
export function toIpcError(error: unknown): IpcError {
  if (isProvisimError(error)) {
    return {
      code: error.code,
      message: error.message,
      retryable: error.retryable || RETRYABLE_CODES.has(error.code),
    };
  }
  if (isCodeAndMessage(error)) {
    return { ...error, retryable: RETRYABLE_CODES.has(error.code) };
  }
  return { code: 'INTERNAL_ERROR', message: ERROR_SENTENCES.INTERNAL_ERROR, retryable: false };
}

/** A failed Result for any thrown value. */
export function failure(error: unknown): Result<never> {
  return { ok: false, error: toIpcError(error) };
}

/** INVALID_PAYLOAD naming each field zod refused, so the caller knows what to fix. */
export function invalidPayload(
  channel: string,
  issues: readonly z.core.$ZodIssue[],
): ProvisimError {
  const problems = issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
  return new ProvisimError('INVALID_PAYLOAD', {
    message: `The request ${channel} was refused, nothing was done: ${problems}.`,
    details: { channel },
  });
}

/** UNKNOWN_CHANNEL naming the channel (cut, since it came from outside). */
export function unknownChannel(channel: string): ProvisimError {
  return new ProvisimError('UNKNOWN_CHANNEL', {
    message: `There is no request named ${JSON.stringify(channel.slice(0, 80))}; nothing was done.`,
  });
}

/** AGENT_BUSY for a job that would overlap the one under way. */
export function busy(what: string): ProvisimError {
  return new ProvisimError('AGENT_BUSY', {
    message: `${what} Wait for it to finish or cancel it, then try again.`,
    retryable: true,
  });
}

/** JOB_STATE_CONFLICT with the reason in words. */
export function notNow(message: string): ProvisimError {
  return new ProvisimError('JOB_STATE_CONFLICT', { message, retryable: true });
}

function isCodeAndMessage(value: unknown): value is { code: ErrorCode; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return isErrorCode(code) && typeof message === 'string';
}
