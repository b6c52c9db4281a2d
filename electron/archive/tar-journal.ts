import { close, open, write } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { TarEntry } from './tar-framer.ts';

const openFd = promisify(open);
const closeFd = promisify(close);
const writeFd = promisify(write);

const JOURNAL_FORMAT = 'provisim-tar-journal';
const JOURNAL_VERSION = 1;

/** One fact about the archive stream, appended as it is unpacked. */
export type JournalRecord =
  /** An entry whose data starts right after `literal` (padding, extension headers, its header). */
  | {
      readonly kind: 'entry';
      readonly offset: number;
      readonly literal: Buffer;
      readonly entry: TarEntry;
    }
  /** The end-of-archive marker with the padding before it. */
  | { readonly kind: 'end'; readonly offset: number; readonly literal: Buffer }
  /** Bytes after the end marker. */
  | { readonly kind: 'trailing'; readonly offset: number; readonly literal: Buffer }
  /** The SHA-256 of the first `held` bytes of the stream, to notice staged files changed later. */
  | { readonly kind: 'checkpoint'; readonly held: number; readonly sha256: string };

const headSchema = z.object({
  format: z.literal(JOURNAL_FORMAT),
  version: z.literal(JOURNAL_VERSION),
  staging: z.string(),
});

const lineSchema = z.union([
  z.object({
    k: z.literal('e'),
    o: z.number().int().nonnegative(),
    b: z.base64(),
    p: z.string(),
    t: z.string(),
    s: z.number().int().nonnegative(),
    m: z.number().int().optional(),
    mt: z.number().optional(),
    l: z.string().optional(),
  }),
  z.object({
    k: z.enum(['end', 't']),
    o: z.number().int().nonnegative(),
    // Zero bytes (the end marker, tar's record padding) are stored as their count.
    b: z.base64().optional(),
    z: z.number().int().positive().optional(),
  }),
  z.object({
    k: z.literal('c'),
    h: z.number().int().nonnegative(),
    d: z.string().regex(/^[0-9a-f]{64}$/),
  }),
]);

/** A journal read back: the staging folder it describes and its complete records. */
export interface LoadedJournal {
  readonly stagingDir: string;
  readonly records: readonly JournalRecord[];
}

/** The journal of one archive unpacked into a staging folder, appended line by line. */
export class TarJournal {
  private chain: Promise<unknown> = Promise.resolve();
  private failure: { error: unknown } | undefined;

  private constructor(private readonly fd: number) {}

  /** Starts a new journal for `stagingDir`, replacing any old one. */
  static async create(path: string, stagingDir: string): Promise<TarJournal> {
    return TarJournal.rewrite(path, stagingDir, []);
  }

  /**
   * Replaces the journal with these records at once (a temp file renamed over it), then appends
   * after them: a crash while it is rewritten leaves the old journal or the new one, never less.
   */
  static async rewrite(
    path: string,
    stagingDir: string,
    records: readonly JournalRecord[],
  ): Promise<TarJournal> {
    const head = { format: JOURNAL_FORMAT, version: JOURNAL_VERSION, staging: stagingDir };
    const lines = [head, ...records.map(toLine)].map((line) => `${JSON.stringify(line)}\n`);
    const temp = `${path}.tmp`;
    await writeFile(temp, lines.join(''), { mode: 0o600 });
    await rename(temp, path);
    return new TarJournal(await openFd(path, 'a', 0o600));
  }

  /** Reads a journal up to a torn last line (a crash mid-append); undefined when unusable. */
  static async load(path: string): Promise<LoadedJournal | undefined> {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const lines = text.split('\n');
    const head = headSchema.safeParse(parseJson(lines[0]));
    if (!head.success) return undefined;
    const records: JournalRecord[] = [];
    for (const line of lines.slice(1)) {
      const parsed = lineSchema.safeParse(parseJson(line));
      if (!parsed.success) break;
      records.push(toRecord(parsed.data));
    }
    return { stagingDir: head.data.staging, records };
  }

  /** Appends a record; appends happen in call order, and the promise settles with this one. */
  append(record: JournalRecord): Promise<void> {
    return this.writeLine(toLine(record));
  }

  /** Waits for every append, then closes; throws the first append error. */
  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    await closeFd(this.fd).catch(() => undefined);
    if (this.failure) throw this.failure.error;
  }

  private writeLine(value: object): Promise<void> {
    const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
    const next = this.chain.then(async () => {
      if (this.failure) throw this.failure.error;
      try {
        await writeFd(this.fd, bytes, 0, bytes.length, null);
      } catch (error) {
        this.failure = { error };
        throw error;
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}

function parseJson(line: string | undefined): unknown {
  if (line === undefined || line === '') return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function toLine(record: JournalRecord): object {
  switch (record.kind) {
    case 'entry': {
      const { entry } = record;
      return {
        k: 'e',
        o: record.offset,
        b: record.literal.toString('base64'),
        p: entry.path,
        t: entry.type,
        s: entry.size,
        ...(entry.mode !== undefined ? { m: entry.mode } : {}),
        ...(entry.mtime ? { mt: entry.mtime.getTime() } : {}),
        ...(entry.linkpath !== undefined ? { l: entry.linkpath } : {}),
      };
    }
    case 'end':
      return { k: 'end', o: record.offset, ...bytesField(record.literal) };
    case 'trailing':
      return { k: 't', o: record.offset, ...bytesField(record.literal) };
    case 'checkpoint':
      return { k: 'c', h: record.held, d: record.sha256 };
  }
}

function toRecord(line: z.infer<typeof lineSchema>): JournalRecord {
  switch (line.k) {
    case 'e':
      return {
        kind: 'entry',
        offset: line.o,
        literal: Buffer.from(line.b, 'base64'),
        entry: {
          path: line.p,
          type: line.t,
          size: line.s,
          ...(line.m !== undefined ? { mode: line.m } : {}),
          ...(line.mt !== undefined ? { mtime: new Date(line.mt) } : {}),
          ...(line.l !== undefined ? { linkpath: line.l } : {}),
        },
      };
    case 'end':
      return { kind: 'end', offset: line.o, literal: bytesOf(line) };
    case 't':
      return { kind: 'trailing', offset: line.o, literal: bytesOf(line) };
    case 'c':
      return { kind: 'checkpoint', held: line.h, sha256: line.d };
  }
}

function bytesField(bytes: Buffer): { b: string } | { z: number } {
  return bytes.every((byte) => byte === 0) && bytes.length > 0
    ? { z: bytes.length }
    : { b: bytes.toString('base64') };
}

function bytesOf(line: { b?: string; z?: number }): Buffer {
  return line.z !== undefined ? Buffer.alloc(line.z) : Buffer.from(line.b ?? '', 'base64');
}
