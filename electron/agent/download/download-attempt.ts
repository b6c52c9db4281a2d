import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import got, { type PlainResponse, type Request } from 'got';
import { AbortError } from 'p-retry';
import { isProvisimError, type ProvisimError } from '../../../shared/provisim-error.ts';
import { createTransport, type Transport } from '../transport.ts';
import { cancelledError, downloadFailed } from './download-errors.ts';
import type { DownloadSession } from './download-session.ts';
import type { ImageDownloadOptions } from './download-types.ts';
import { decoderFor } from './content-encoding.ts';
import { classifyRequestError } from './network-errors.ts';
import { decideResponse, ifRangeValue } from './response-decision.ts';
import { RetryableFailure } from './retry-policy.ts';
import { StallTimer } from './stall-timer.ts';
import { rateCap } from './rate-cap.ts';

// Lets network reads run ahead of the disk while a batch is hashed and written. What is queued
// here is lost (and fetched again) when the connection breaks, so it stays a few MiB.
const SINK_HIGH_WATER_MARK = 1024 * 1024;
// One batch: one hash update, one write, one progress report.
const BATCH_BYTES = 2 * 1024 * 1024;
// A smaller batch waits this long for more before it is written anyway (the network stalled).
const BATCH_IDLE_MS = 3;
// Without the context's transport, one default per download (its options object), not per attempt.
const defaultTransports = new WeakMap<ImageDownloadOptions, Transport>();

/** One attempt: a request (resuming at the held offset) whose body goes into the target. */
export async function runAttempt(session: DownloadSession): Promise<void> {
  session.attemptBytes = 0;
  // A 206 for the wrong range is dropped and asked again from byte 0 within the same attempt.
  while ((await requestOnce(session)) === 'again');
}

async function requestOnce(session: DownloadSession): Promise<'done' | 'again'> {
  const { options, target } = session;
  const offset = target.bytes;
  const known = session.known?.total;
  if (offset > 0 && offset === known && session.bytesTransferred === 0) {
    // An earlier run held every byte (killed after the download): nothing to fetch. Within a
    // run, an attempt that broke off at the stated size says that size was wrong: ask again.
    session.emit({ type: 'download-resumed', offset, total: known, ...session.rehashOnce() });
    return 'done';
  }
  // Progress means bytes past the furthest point ever held: bytes fetched again after a restart
  // do not renew the retry budget, or a server that always fails the same way loops forever.
  const furthestBefore = session.furthest;
  const maxRedirects = options.maxRedirects ?? 10;
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  // Why the attempt was torn down by us; got wraps errors passed to destroy(), so keep our own.
  let reason: ProvisimError | undefined;
  const visited = new Set([new URL(options.url).href]);
  const { https, agent } = transportOf(options);
  const stream = got.stream(options.url, {
    headers: requestHeaders(session, offset),
    retry: { limit: 0 },
    throwHttpErrors: false,
    decompress: false,
    followRedirect: true,
    maxRedirects,
    https,
    agent,
    hooks: {
      beforeRedirect: [
        (updated, response) => {
          timer.touch();
          const to = String(updated.url);
          if (visited.has(to)) {
            reason = downloadFailed(
              `the link redirects in a loop (${[...visited, to].join(' -> ')})`,
            );
            throw reason;
          }
          visited.add(to);
          session.redirected(response.url, to);
        },
      ],
    },
  });
  const tearDown = (why: ProvisimError) => {
    reason ??= why;
    stream.destroy();
  };
  const timer = new StallTimer(stallTimeoutMs, () =>
    tearDown(
      downloadFailed(`no data for ${stallTimeoutMs / 1000} s`, {
        retryable: true,
        details: { stallTimeoutMs },
      }),
    ),
  );
  const onAbort = () => tearDown(cancelledError());
  options.signal?.addEventListener('abort', onAbort, { once: true });
  stream.on('error', () => undefined);
  let sink: TargetSink | undefined;
  try {
    const response = await responseOf(stream);
    timer.hold();
    session.finalUrl = response.url;
    const decision = decideResponse(response, offset, session.known);
    if (decision.kind !== 'body') {
      stream.destroy();
      if (decision.kind === 'complete') return 'done';
      await session.restart(decision.reason);
      return 'again';
    }
    if (decision.restartReason !== undefined) await session.restart(decision.restartReason);
    try {
      await session.accept(decision.validators, offset > 0 && decision.restartReason === undefined);
    } catch (error) {
      // The caller refused the download (disk space): no retry.
      throw new AbortError(error instanceof Error ? error : new Error(String(error)));
    }
    timer.release();
    sink = new TargetSink(session, timer);
    const capped = options.bytesPerSecond ? [rateCap(options.bytesPerSecond)] : [];
    if (decision.encoding === undefined) await pipeline([stream, ...capped, sink]);
    else await pipeline([stream, decoderFor(decision.encoding), ...capped, sink]);
    const total = session.known?.total;
    if (total !== undefined && target.bytes !== total) {
      throw downloadFailed(`the connection ended after ${target.bytes} of ${total} bytes`, {
        retryable: true,
      });
    }
    return 'done';
  } catch (error) {
    stream.destroy();
    await sink?.settled();
    if (error instanceof AbortError) throw error;
    const moved = session.furthest - furthestBefore;
    throw attemptError(reason ?? sink?.error ?? error, moved, options, maxRedirects);
  } finally {
    timer.stop();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function requestHeaders(session: DownloadSession, offset: number): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': 'provisim-agent' };
  for (const [name, value] of Object.entries(session.options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  // Hash the bytes as stored on the server, never a re-encoded body.
  headers['accept-encoding'] = 'identity';
  delete headers.range;
  delete headers['if-range'];
  if (offset > 0) {
    headers.range = `bytes=${offset}-`;
    const ifRange = session.known && ifRangeValue(session.known);
    if (ifRange !== undefined) headers['if-range'] = ifRange;
  }
  return headers;
}

function responseOf(stream: Request): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.off('response', onResponse);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onResponse = (response: PlainResponse) => (cleanup(), resolve(response));
    const onError = (error: Error) => (cleanup(), reject(error));
    const onClose = () => (cleanup(), reject(new Error('the request closed before a response')));
    stream.on('response', onResponse);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

function transportOf(options: ImageDownloadOptions): Transport {
  if (options.transport) return options.transport;
  let transport = defaultTransports.get(options);
  if (transport === undefined) {
    // No CA file and no proxy URL: nothing here can be the caller's mistake.
    transport = createTransport();
    defaultTransports.set(options, transport);
  }
  return transport;
}

function attemptError(
  error: unknown,
  movedBytes: number,
  options: ImageDownloadOptions,
  maxRedirects: number,
): Error {
  if (options.signal?.aborted) return new AbortError(cancelledError());
  const mapped = isProvisimError(error)
    ? error
    : classifyRequestError(error, maxRedirects, options.url);
  return mapped.retryable ? new RetryableFailure(mapped, movedBytes) : new AbortError(mapped);
}

/**
 * Feeds the response body into the session in batches of a few MiB: each batch is hashed, written
 * and reported as one, so progress always counts bytes on disk while the network runs ahead.
 */
class TargetSink extends Writable {
  error: unknown;
  private current: Promise<void> = Promise.resolve();
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly session: DownloadSession,
    private readonly timer: StallTimer,
  ) {
    super({ highWaterMark: SINK_HIGH_WATER_MARK });
  }

  /** Resolves once the batch being written is done, whatever its outcome. */
  settled(): Promise<void> {
    return this.current;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.collect([chunk], done);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, done: (error?: Error | null) => void): void {
    this.collect(
      chunks.map((entry) => entry.chunk),
      done,
    );
  }

  override _final(done: (error?: Error | null) => void): void {
    this.takeBatch(done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    // The bytes that arrived before the connection broke are good: keep them for the resume.
    this.takeBatch(() => done(error));
  }

  private collect(chunks: Buffer[], done: (error?: Error) => void): void {
    if (this.error !== undefined) return done(asError(this.error));
    for (const chunk of chunks) {
      this.batch.push(chunk);
      this.batchBytes += chunk.length;
    }
    // A full batch holds the stream until it is on disk (backpressure); a smaller one waits for
    // more, or for a quiet moment when the network stalls.
    if (this.batchBytes >= BATCH_BYTES) return this.takeBatch(done);
    done();
    this.idle ??= setTimeout(() => {
      this.idle = undefined;
      this.takeBatch((error) => {
        if (error) this.destroy(error);
      });
    }, BATCH_IDLE_MS);
  }

  private takeBatch(done: (error?: Error) => void): void {
    clearTimeout(this.idle);
    this.idle = undefined;
    const chunks = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    this.current = this.current.then(async () => {
      if (this.error !== undefined) return done(asError(this.error));
      if (chunks.length === 0) return done();
      this.timer.hold();
      try {
        await this.session.receive(chunks);
        this.timer.release();
        done();
      } catch (error) {
        this.error = error;
        done(asError(error));
      }
    });
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
