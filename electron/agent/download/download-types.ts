import type { ArchiveFormat } from '../../archive/detect-format.ts';

/** A streaming sink for the downloaded bytes (the tar extractor into a staging folder). */
export interface ByteConsumer {
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<unknown>;
  abort(): Promise<void>;
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
  | { type: 'download-resumed'; offset: number; total?: number }
  // Resume refused (200, validators changed, bad Content-Range): started over from 0.
  | { type: 'download-restarted'; reason: string }
  | { type: 'download-redirected'; from: string; to: string; hostChanged: boolean }
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
  readonly headers?: Record<string, string>;
  /** A PEM file of extra CAs to trust beside the system roots; read once per download. */
  readonly caFile?: string;
  /** An HTTP proxy for the image requests. */
  readonly proxyUrl?: string;
  readonly onEvent?: (event: DownloadEvent) => void;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Called once the response headers of the first successful attempt are known (total size); may throw (e.g. disk space) — a thrown ProvisimError ends the download without retry. */
  readonly onResponse?: (info: { total?: number; offset: number }) => Promise<void>;
  /** Creates the streaming consumer (tar extractor into a staging dir) once the format is sniffed at offset 0; returns undefined for formats extracted later (zip). Called again after a restart from zero (after abort() of the previous one). */
  readonly createConsumer?: (format: ArchiveFormat) => ByteConsumer | undefined;
}

/** A verified download. The bytes stay at partialPath for the caller to commit. */
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
