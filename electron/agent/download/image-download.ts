import { rm } from 'node:fs/promises';
import { ProvisimError, isProvisimError } from '../../../shared/provisim-error.ts';
import { runAttempt } from './download-attempt.ts';
import { cancelledError, throwIfCancelled } from './download-errors.ts';
import { DownloadSession } from './download-session.ts';
import { DownloadTarget } from './download-target.ts';
import type { ImageDownloadOptions, ImageDownloadResult } from './download-types.ts';
import { removeResumeState } from './resume-state.ts';
import { withRetries } from './retry-policy.ts';
import { SHA256_HEX, isWebUrl } from '../../../shared/web-values.ts';
import { crashPoint } from '../../crash-points.ts';

export type {
  ByteConsumer,
  DownloadEvent,
  DownloadProgress,
  ImageDownloadOptions,
  ImageDownloadResult,
} from './download-types.ts';
export type { ArchiveFormat } from '../../archive/detect-format.ts';

// Generous: with the budget reset by progress, this only stops a server that drops every few bytes.
const MAX_ATTEMPTS_PER_RUN = 1000;
// Errors after which the partial is worthless: a web page, junk, or bytes that fail the checksum.
const DISCARDING_CODES = new Set(['NOT_A_DIRECT_LINK', 'ARCHIVE_INVALID', 'CHECKSUM_MISMATCH']);

/** Downloads an image in one pass (SHA-256, streaming consumer, a partial file only where the consumer cannot keep the bytes), resuming and retrying; verifies the checksum. */
export async function downloadImage(options: ImageDownloadOptions): Promise<ImageDownloadResult> {
  assertValidOptions(options);
  throwIfCancelled(options.signal);
  const target = new DownloadTarget(
    options.partialPath,
    options.createConsumer,
    options.checkpointBytes,
    options.acceptsPacked,
  );
  let session: DownloadSession;
  let verified: { format: ImageDownloadResult['format']; sha256: string };
  try {
    await target.assertWritable();
    session = await DownloadSession.prepare(options, target);
    await withRetries(() => runAttempt(session), {
      retries: options.retries ?? 5,
      minDelayMs: options.minRetryDelayMs ?? 1000,
      maxDelayMs: options.maxRetryDelayMs ?? 30_000,
      maxAttempts: MAX_ATTEMPTS_PER_RUN,
      signal: options.signal,
      onFailure: ({ attempt, error, retryInMs }) =>
        session.emit({ type: 'attempt-failed', attempt, error: error.toJSON(), retryInMs }),
    });
    crashPoint('before-verify');
    session.emit({ type: 'received', bytes: target.bytes });
    verified = await target.finish();
    if (verified.sha256 !== options.expectedSha256) {
      throw new ProvisimError('CHECKSUM_MISMATCH', {
        details: { expected: options.expectedSha256, actual: verified.sha256, bytes: target.bytes },
      });
    }
    crashPoint('after-verify');
    session.emit({ type: 'verified', sha256: verified.sha256 });
  } catch (error) {
    await target.close();
    const final = options.signal?.aborted ? cancelledError() : error;
    // Junk bytes, or bytes that fail the checksum, are worthless; a resume answered with a web
    // page (a captive portal, a moved link) says nothing about the good bytes already held.
    const heldIsArchive = target.format !== undefined && target.format !== 'unknown';
    const discard =
      isProvisimError(final) &&
      (final.code === 'CHECKSUM_MISMATCH' || (DISCARDING_CODES.has(final.code) && !heldIsArchive));
    // An empty partial holds nothing to resume: leave no file behind for it either.
    if (discard || target.bytes === 0) {
      await target.abortConsumer();
      await rm(options.partialPath, { force: true });
      await removeResumeState(options.statePath);
    } else {
      await target.suspendConsumer();
    }
    throw final;
  }
  // The bytes are right; a consumer failure now is about the archive, and the caller decides.
  let consumerResult: unknown;
  let consumerFailure: { error: unknown } | undefined = target.consumerFailure;
  try {
    if (consumerFailure === undefined) consumerResult = await target.endConsumer();
  } catch (error) {
    consumerFailure = { error };
    await target.abortConsumer();
  } finally {
    await target.close();
  }
  return {
    sha256: verified.sha256,
    bytes: target.bytes,
    format: verified.format,
    consumerResult,
    ...(consumerFailure ? { consumerFailure } : {}),
    bytesTransferred: session.bytesTransferred,
    resumedFrom: session.resumedFrom,
    finalUrl: session.finalUrl,
  };
}

function assertValidOptions(options: ImageDownloadOptions): void {
  const url = URL.canParse(options.url) ? new URL(options.url) : undefined;
  const protocol = url?.protocol;
  if (!url || !isWebUrl(url)) {
    throw new ProvisimError('POLICY_INVALID', {
      message: `The image link must be an http or https URL, not ${protocol ?? 'an unparsable link'}. Ask your administrator to correct the golden image settings.`,
      details: { protocol },
    });
  }
  if (!SHA256_HEX.test(options.expectedSha256)) {
    throw new ProvisimError('POLICY_INVALID', {
      message:
        'The image checksum is not a SHA-256 in hex. Ask your administrator to correct the golden image settings.',
      details: { expectedSha256: options.expectedSha256 },
    });
  }
}
