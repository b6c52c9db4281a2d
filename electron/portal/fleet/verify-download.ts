import { createHash } from 'node:crypto';
import got, { RequestError } from 'got';
import { linkRequestOptions } from './link-probe.ts';

/** Progress of a verifying download: bytes so far and the size when known. */
export type VerifyProgress = (transferred: number, total: number | null) => void;

/** What downloading a link for verification gave: its SHA-256, or why it stopped. */
export type VerifyDownload =
  | { readonly ok: true; readonly sha256: string; readonly bytes: number }
  | { readonly ok: false; readonly transferred: number; readonly reason: string };

/** How often progress may go to the admin stream: about four times a second. */
export const VERIFY_PROGRESS_INTERVAL_MS = 250;

// A server that stops sending for this long is taken as gone.
const IDLE_TIMEOUT_MS = 30_000;

/**
 * Downloads a link and hashes it on the way, keeping nothing on disk; progress is reported
 * throttled, plus once at the end.
 */
export async function downloadAndHash(
  url: string,
  onProgress: VerifyProgress,
  signal?: AbortSignal,
): Promise<VerifyDownload> {
  const hash = createHash('sha256');
  let transferred = 0;
  let total: number | null = null;
  let lastReport = Number.NEGATIVE_INFINITY;
  const stream = got.stream(url, {
    ...linkRequestOptions(),
    timeout: { socket: IDLE_TIMEOUT_MS },
    signal,
  });
  try {
    stream.once('response', (response) => {
      const length = Number(response.headers['content-length']);
      total = Number.isSafeInteger(length) ? length : null;
      if (response.statusCode !== 200) {
        stream.destroy(new Error(`HTTP ${response.statusCode}`));
      }
    });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      transferred += chunk.length;
      if (Date.now() - lastReport >= VERIFY_PROGRESS_INTERVAL_MS) {
        lastReport = Date.now();
        onProgress(transferred, total);
      }
    }
  } catch (error) {
    const reason = error instanceof RequestError ? (error.code ?? error.message) : String(error);
    return { ok: false, transferred, reason: reason.replace(/^Error: /, '') };
  }
  onProgress(transferred, total);
  return { ok: true, sha256: hash.digest('hex'), bytes: transferred };
}
