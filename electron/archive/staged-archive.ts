import { close, open, read } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stagedPath } from './staging-writer.ts';
import type { JournalRecord, LoadedJournal } from './tar-journal.ts';

const openFd = promisify(open);
const closeFd = promisify(close);
const readFd = promisify(read);

const READ_BYTES = 4 * 1024 * 1024;
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/** A stretch of the archive stream: bytes kept in the journal, or data of a staged file. */
export type Segment =
  | { readonly kind: 'literal'; readonly bytes: Buffer }
  | { readonly kind: 'file'; readonly path: string; readonly length: number };

/** How much of an archive an earlier run holds, and how to read it back. */
export interface ResumePlan {
  /** Bytes of the archive stream that the journal and the staged files hold. */
  readonly held: number;
  readonly segments: readonly Segment[];
  /** The journal records the held bytes cover, in order. */
  readonly records: readonly JournalRecord[];
  /** For each entry record, the bytes of its data on disk. */
  readonly bytesOnDisk: ReadonlyMap<JournalRecord, number>;
  /** Hashes of the stream's first bytes, by length, as the earlier run recorded them. */
  readonly checkpoints: ReadonlyMap<number, string>;
}

/** Works out what the journal and the staging folder hold; undefined when they disagree. */
export async function planResume(journal: LoadedJournal): Promise<ResumePlan | undefined> {
  const stream = journal.records.filter(
    (record): record is Exclude<JournalRecord, { kind: 'checkpoint' }> =>
      record.kind !== 'checkpoint',
  );
  const segments: Segment[] = [];
  const records: JournalRecord[] = [];
  const bytesOnDisk = new Map<JournalRecord, number>();
  let held = 0;
  for (const [index, record] of stream.entries()) {
    if (record.offset !== held) return undefined;
    const last = index === stream.length - 1;
    const staged = record.kind === 'entry' ? stagedPath(record.entry.path) : undefined;
    const path = staged === undefined ? undefined : join(journal.stagingDir, staged);
    const stats = path === undefined ? undefined : await lstat(path).catch(() => undefined);
    // Killed between the journal line and creating the entry: resume before this entry.
    if (path !== undefined && !stats && last) break;
    const isData =
      record.kind === 'entry' && FILE_TYPES.has(record.entry.type) && record.entry.size > 0;
    segments.push({ kind: 'literal', bytes: record.literal });
    records.push(record);
    held += record.literal.length;
    if (!isData || path === undefined) continue;
    const size = record.entry.size;
    if (!stats?.isFile() || stats.size > size || (stats.size < size && !last)) return undefined;
    if (stats.size > 0) segments.push({ kind: 'file', path, length: stats.size });
    bytesOnDisk.set(record, stats.size);
    held += stats.size;
  }
  const checkpoints = new Map<number, string>();
  for (const record of journal.records) {
    if (record.kind === 'checkpoint' && record.held > 0 && record.held <= held) {
      checkpoints.set(record.held, record.sha256);
    }
  }
  return { held, segments, records, bytesOnDisk, checkpoints };
}

/** Reads the held stream back, in large reads, cut at each offset in `cuts`. */
export async function* readSegments(
  segments: readonly Segment[],
  cuts: ReadonlySet<number>,
): AsyncGenerator<Uint8Array> {
  let position = 0;
  const sortedCuts = [...cuts].sort((a, b) => a - b);
  const pieces = function* (bytes: Uint8Array) {
    let from = 0;
    for (const cut of sortedCuts) {
      const at = cut - position;
      if (at <= from) continue;
      if (at >= bytes.length) break;
      yield bytes.subarray(from, at);
      from = at;
    }
    yield bytes.subarray(from);
    position += bytes.length;
  };
  // Two buffers: the next read runs on the thread pool while the caller hashes the last one.
  const buffers = [Buffer.allocUnsafeSlow(READ_BYTES), Buffer.allocUnsafeSlow(READ_BYTES)];
  let turn = 0;
  for (const segment of segments) {
    if (segment.kind === 'literal') {
      yield* pieces(segment.bytes);
      continue;
    }
    const fd = await openFd(segment.path, 'r');
    try {
      let offset = 0;
      let next = readInto(fd, buffers[turn]!, offset, segment.length);
      while (offset < segment.length) {
        const bytes = await next;
        if (bytes.length === 0)
          throw Object.assign(new Error('staged file shrank'), { code: 'ESHRANK' });
        offset += bytes.length;
        turn ^= 1;
        next = readInto(fd, buffers[turn]!, offset, segment.length);
        yield* pieces(bytes);
      }
      await next;
    } finally {
      await closeFd(fd).catch(() => undefined);
    }
  }
}

async function readInto(fd: number, buffer: Buffer, offset: number, length: number) {
  const want = Math.min(buffer.length, length - offset);
  if (want <= 0) return buffer.subarray(0, 0);
  const { bytesRead } = await readFd(fd, buffer, 0, want, offset);
  return buffer.subarray(0, bytesRead);
}
