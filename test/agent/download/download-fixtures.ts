import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type {
  ByteConsumer,
  DownloadEvent,
  DownloadProgress,
  ImageDownloadOptions,
} from '../../../electron/agent/download/image-download.ts';
import {
  type ImageServer,
  type ImageServerOptions,
  startImageServer,
} from '../../helpers/image-server.ts';

/** 1 MiB. */
export const MiB = 1024 * 1024;

/** Random bytes that sniff as a tar archive ('ustar' at offset 257). */
export function makeTarImage(size: number): Buffer {
  const image = randomBytes(size);
  image.write('disk.hdd', 0, 'latin1');
  image.write('ustar\u000000', 257, 'latin1');
  return image;
}

/** Random bytes that sniff as a zip archive. */
export function makeZipImage(size: number): Buffer {
  const image = randomBytes(size);
  image.set([0x50, 0x4b, 0x03, 0x04], 0);
  return image;
}

/** Hex SHA-256 of bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** How a RecordingConsumer misbehaves. */
export interface ConsumerScript {
  /** write() rejects once this many bytes were taken. */
  readonly failAfter?: number;
  /** end() rejects with this error. */
  readonly failOnEnd?: Error;
  /** write() waits for release() once this many bytes were taken. */
  readonly blockAfter?: number;
  readonly error?: Error;
}

/** A ByteConsumer that keeps every chunk and tracks concurrent writes. */
export class RecordingConsumer implements ByteConsumer {
  readonly chunks: Uint8Array[] = [];
  taken = 0;
  writing = 0;
  maxWriting = 0;
  ended = false;
  aborted = false;
  private unblock!: () => void;
  private readonly unblocked = new Promise<void>((resolve) => (this.unblock = resolve));

  constructor(private readonly script: ConsumerScript = {}) {}

  /** Every byte received, in order. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Lets a blocked write() continue. */
  release(): void {
    this.unblock();
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.writing++;
    this.maxWriting = Math.max(this.maxWriting, this.writing);
    try {
      if (this.ended || this.aborted) throw new Error('write after end or abort');
      const { failAfter, blockAfter } = this.script;
      if (failAfter !== undefined && this.taken >= failAfter) {
        throw this.script.error ?? new Error('consumer write failed');
      }
      if (blockAfter !== undefined && this.taken >= blockAfter) await this.unblocked;
      this.chunks.push(chunk);
      this.taken += chunk.length;
    } finally {
      this.writing--;
    }
  }

  async end(): Promise<unknown> {
    this.ended = true;
    if (this.script.failOnEnd !== undefined) throw this.script.failOnEnd;
    return { bytes: this.taken };
  }

  async abort(): Promise<void> {
    this.aborted = true;
  }
}

/** Options for one download into a temp folder, recording events, progress and consumers. */
export function downloadSetup(
  dir: string,
  url: string,
  image: Uint8Array,
  script?: ConsumerScript,
) {
  const events: DownloadEvent[] = [];
  const progress: DownloadProgress[] = [];
  const consumers: RecordingConsumer[] = [];
  const formats: string[] = [];
  const options: ImageDownloadOptions = {
    url,
    expectedSha256: sha256(image),
    partialPath: join(dir, 'image.part'),
    statePath: join(dir, 'image.json'),
    minRetryDelayMs: 5,
    maxRetryDelayMs: 50,
    stallTimeoutMs: 2000,
    onEvent: (event) => events.push(event),
    onProgress: (entry) => progress.push(entry),
    createConsumer: (format) => {
      formats.push(format);
      if (format === 'zip') return undefined;
      const consumer = new RecordingConsumer(script);
      consumers.push(consumer);
      return consumer;
    },
  };
  const ofType = <T extends DownloadEvent['type']>(type: T) =>
    events.filter((event): event is Extract<DownloadEvent, { type: T }> => event.type === type);
  return { options, events, progress, consumers, formats, ofType };
}

/** Starts image servers for the current test and closes them after it. */
export function useImageServers(): (options: ImageServerOptions) => Promise<ImageServer> {
  const started: ImageServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close()));
  });
  return async (options) => {
    const server = await startImageServer(options);
    started.push(server);
    return server;
  };
}
