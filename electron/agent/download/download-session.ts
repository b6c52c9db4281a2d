import type { DownloadTarget } from './download-target.ts';
import type { DownloadEvent, ImageDownloadOptions, ResumedConsumer } from './download-types.ts';
import {
  isResumable,
  readResumeState,
  removeResumeState,
  writeResumeState,
} from './resume-state.ts';
import type { Validators } from './response-decision.ts';
import { crashAtBytes, crashPoint } from '../../crash-points.ts';

/** What one run of downloadImage knows across its attempts. */
export class DownloadSession {
  /** Validators of the file the held bytes belong to; undefined before the first response. */
  known: Validators | undefined;
  finalUrl: string;
  bytesTransferred = 0;
  /** How long re-hashing the bytes of an earlier run took, when there were any. */
  rehashMs: number | undefined;
  attemptBytes = 0;
  /** The most bytes the target has held in this run. */
  furthest = 0;
  private started = false;
  private readonly redirects = new Set<string>();

  private constructor(
    readonly options: ImageDownloadOptions,
    readonly target: DownloadTarget,
    readonly resumedFrom: number,
    known: Validators | undefined,
  ) {
    this.known = known;
    this.finalUrl = options.url;
    this.furthest = resumedFrom;
  }

  /** Reuses what an earlier run holds (a partial file, or a consumer's journal), re-hashed at disk speed, or starts empty. */
  static async prepare(
    options: ImageDownloadOptions,
    target: DownloadTarget,
  ): Promise<DownloadSession> {
    const state = await readResumeState(options.statePath);
    const resumable = isResumable(state, options.url, options.expectedSha256);
    const known = state && {
      etag: state.etag,
      lastModified: state.lastModified,
      total: state.total,
    };
    const fits = (held: number) => state?.total === undefined || held <= state.total;
    const size = await target.partialSize();
    const started = performance.now();
    const resumedFrom = (held: number) => {
      const session = new DownloadSession(options, target, held, known);
      session.rehashMs = Math.round(performance.now() - started);
      return session;
    };
    if (resumable && size > 0 && fits(size)) {
      await target.replayPartial(size, options.signal);
      return resumedFrom(size);
    }
    let restartReason: string | undefined;
    let resumed: ResumedConsumer | undefined;
    try {
      resumed = resumable ? await options.resumeConsumer?.() : undefined;
      if (resumed && resumed.held > 0 && fits(resumed.held)) {
        await target.adopt(resumed, options.signal);
        return resumedFrom(resumed.held);
      }
    } catch (error) {
      if (options.signal?.aborted) {
        await resumed?.consumer.suspend?.();
        throw error;
      }
      const why = error instanceof Error ? error.message : String(error);
      restartReason = `the files unpacked by an earlier run changed (${why})`;
    }
    await resumed?.consumer.abort();
    if (size > 0) await target.restart();
    await removeResumeState(options.statePath);
    const session = new DownloadSession(options, target, 0, undefined);
    if (restartReason !== undefined)
      session.emit({ type: 'download-restarted', reason: restartReason });
    return session;
  }

  /** Forwards an event to the caller. */
  emit(event: DownloadEvent): void {
    this.options.onEvent?.(event);
  }

  /** Reports a followed redirect once per run, flagging a change of host. */
  redirected(from: string, to: string): void {
    const key = `${from} ${to}`;
    if (this.redirects.has(key)) return;
    this.redirects.add(key);
    const hostChanged = new URL(from).hostname !== new URL(to).hostname;
    this.emit({ type: 'download-redirected', from, to, hostChanged });
  }

  /** Drops every held byte (resume refused) and says why. */
  async restart(reason: string): Promise<void> {
    await this.target.restart();
    this.known = undefined;
    this.emit({ type: 'download-restarted', reason });
  }

  /** Takes a usable response: first-response callbacks, then the resume state for a new file. */
  async accept(validators: Validators, resumed: boolean): Promise<void> {
    const offset = this.target.bytes;
    const total = validators.total ?? this.known?.total;
    if (!this.started) {
      this.started = true;
      this.emit({ type: 'download-started', url: this.options.url, offset, total });
      await this.options.onResponse?.({ total, offset });
    }
    if (resumed) {
      this.known = { ...this.known, total };
      this.emit({ type: 'download-resumed', offset, total, ...this.rehashOnce() });
      return;
    }
    this.known = validators;
    const { url, expectedSha256: sha256, statePath } = this.options;
    await writeResumeState(statePath, { url, sha256, ...definedOnly(validators) });
    crashPoint('after-resume-state');
  }

  /** The re-hash time, for the first resume event of the run only. */
  rehashOnce(): { rehashMs?: number } {
    const rehashMs = this.rehashMs;
    this.rehashMs = undefined;
    return rehashMs === undefined ? {} : { rehashMs };
  }

  /** Takes chunks from the network into the target and reports progress. */
  async receive(chunks: readonly Uint8Array[]): Promise<void> {
    const length = await this.target.write(chunks);
    this.bytesTransferred += length;
    this.attemptBytes += length;
    this.furthest = Math.max(this.furthest, this.target.bytes);
    crashAtBytes(this.target.bytes);
    this.options.onProgress?.({
      transferred: this.target.bytes,
      total: this.known?.total,
      attemptBytes: this.attemptBytes,
      resumedFrom: this.resumedFrom,
    });
  }
}

function definedOnly(validators: Validators): Validators {
  return Object.fromEntries(Object.entries(validators).filter(([, value]) => value !== undefined));
}
