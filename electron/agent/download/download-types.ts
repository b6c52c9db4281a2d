import type { ArchiveFormat } from '../../archive/detect-format.ts';
import type { Transport } from '../transport.ts';

/** A streaming sink for the downloaded bytes (the tar extractor into a staging folder). */
export interface ByteConsumer {
  /** Takes the next bytes, kept by reference until written; resolves when more may come. */
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<unknown>;
  /** Stops and removes everything it made. */
  abort(): Promise<void>;
  /** True when the consumer keeps the archive's bytes itself, resumable: no partial file is written. */
  readonly keepsBytes?: boolean;
  /** Resolves once every byte taken so far is on disk (only when keepsBytes): progress then reports kept bytes. */
  flush?(): Promise<void>;
  /** Stops but keeps what it holds for a later run (only when keepsBytes). */
  suspend?(): Promise<void>;
  /** Records the SHA-256 of the first `held` bytes, so a later run notices held bytes that changed. */
  checkpoint?(held: number, sha256: string): void;
}

/** A consumer that continues where an earlier run stopped, and the bytes that run left. */
export interface ResumedConsumer {
  readonly consumer: ByteConsumer;
  readonly held: number;
  /** SHA-256 of the stream's first bytes, by length, recorded by the earlier run. */
  readonly checkpoints: ReadonlyMap<number, string>;
  /** The held bytes read back, for the hash; throws when they disagree with what was recorded. */
  replay(): AsyncIterable<Uint8Array>;
}

/** Where a download stands, reported for every chunk (the caller throttles). */
export interface DownloadProgress {
  /** Bytes of the image held so far, including those resumed from disk. */
  readonly transferred: number;
  readonly total?: number;
  /** Bytes received by the current attempt. */
  readonly attemptBytes: number;
  /** Bytes reused from a partial download of an earlier run. */
  readonly resumedFrom: number;
}

/** Milestones of a download, for the job log. */
export type DownloadEvent =
  | { type: 'download-started'; url: string; offset: number; total?: number }
  // rehashMs: how long re-reading and re-hashing the bytes an earlier run held took.
  | { type: 'download-resumed'; offset: number; total?: number; rehashMs?: number }
  // Resume refused (200, validators changed, bad Content-Range): started over from 0.
  | { type: 'download-restarted'; reason: string }
  | { type: 'download-redirected'; from: string; to: string; hostChanged: boolean }
  // Every byte is in; the checksum is being settled (the last writes and the hash).
  | { type: 'received'; bytes: number }
  // The checksum matched; what the consumer unpacked is being finished.
  | { type: 'verified'; sha256: string }
  | {
      type: 'attempt-failed';
      attempt: number;
      error: { code: string; message: string };
      retryInMs?: number;
    };

/** What downloadImage fetches, where it writes and how it retries. */
export interface ImageDownloadOptions {
  /** http: or https: only, else POLICY_INVALID. */
  readonly url: string;
  /** 64 lower-case hex digits. */
  readonly expectedSha256: string;
  /** Where the bytes go; kept across runs for resume. */
  readonly partialPath: string;
  /** JSON beside the partial: what the partial was downloaded from, to validate a resume. */
  readonly statePath: string;
  /** Cancels with CANCELLED; the partial and its state are kept. */
  readonly signal?: AbortSignal;
  /** No byte for this long aborts the attempt, which is retried (default 30 s). */
  readonly stallTimeoutMs?: number;
  /** Retry budget for attempts that moved no bytes (default 5). */
  readonly retries?: number;
  readonly minRetryDelayMs?: number;
  /** Longest wait between attempts, also the cap of Retry-After (default 30 s). */
  readonly maxRetryDelayMs?: number;
  readonly maxRedirects?: number;
  /** Holds each attempt to this many bytes a second (a simulated Mac's line); none by default. */
  readonly bytesPerSecond?: number;
  readonly headers?: Record<string, string>;
  /** Trust and proxy of the agent context; default: system roots, the environment's proxy. */
  readonly transport?: Transport;
  /** How often the SHA-256 so far is recorded for a consumer that keeps the bytes (default 64 MiB). */
  readonly checkpointBytes?: number;
  readonly onEvent?: (event: DownloadEvent) => void;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Called once the response headers of the first successful attempt are known (total size); may throw (e.g. disk space) — a thrown ProvisimError ends the download without retry. */
  readonly onResponse?: (info: { total?: number; offset: number }) => Promise<void>;
  /** Creates the streaming consumer (tar extractor into a staging dir) once the format is sniffed at offset 0; returns undefined for formats extracted later (zip). Called again after a restart from zero (after abort() of the previous one). */
  readonly createConsumer?: (format: ArchiveFormat) => ByteConsumer | undefined;
  /** Keeps a file that is neither tar, gzip nor zip (a hypervisor's own packed VM) instead of refusing it. */
  readonly acceptsPacked?: boolean;
  /** Picks up a consumer that kept the bytes of an earlier run (no partial file); undefined when there is none; throws when what it kept is unusable (the download then restarts from 0). */
  readonly resumeConsumer?: () => Promise<ResumedConsumer | undefined>;
}

/** A verified download. Its partial file (when one was needed) and resume state stay for the caller to remove once the VM is registered. */
export interface ImageDownloadResult {
  readonly sha256: string;
  readonly bytes: number;
  readonly format: ArchiveFormat;
  readonly consumerResult?: unknown;
  /** Why the consumer failed although the bytes match the checksum (an unsafe or broken archive). */
  readonly consumerFailure?: { readonly error: unknown };
  /** Bytes received over the network in this run. */
  readonly bytesTransferred: number;
  readonly resumedFrom: number;
  readonly finalUrl: string;
}
