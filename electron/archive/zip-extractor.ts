import { createWriteStream } from 'node:fs';
import { lstat, mkdir, open, rm, symlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fromRandomAccessReaderPromise, type Entry, type ZipFile } from 'yauzl';
import { isProvisimError, type ProvisimError } from '../../shared/provisim-error.ts';
import {
  DEFAULT_ARCHIVE_LIMITS,
  MAX_EXPANSION_RATIO,
  type ArchiveLimits,
} from './archive-limits.ts';
import { assertRoomFor } from './free-space.ts';
import {
  overExpanded,
  overLimit,
  stagingFailure,
  unreadable,
  unsafeEntry,
  writeFailure,
} from './archive-errors.ts';
import { errnoCode, safeMode, unsafeLinkReason, unsafeNameReason } from './entry-safety.ts';
import type { ExtractSummary } from './tar-extractor.ts';
import { FileRangeReader } from './zip-file-reader.ts';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MADE_BY_UNIX = 3;
const MAX_LINK_TARGET_BYTES = 4096;
// Small archives carry headers beside their data: judge the expansion only past this much.
const EXPANSION_SLACK = 1024 * 1024;

interface PendingLink {
  readonly name: string;
  readonly target: string;
}

/** The Unix file type and permission bits of an entry, when the zip was made on Unix. */
function unixMode(entry: Entry): number | undefined {
  if (entry.versionMadeBy >>> 8 !== MADE_BY_UNIX) return undefined;
  const mode = entry.externalFileAttributes >>> 16;
  return mode === 0 ? undefined : mode;
}

function typeReason(mode: number | undefined): string | undefined {
  const type = (mode ?? 0) & S_IFMT;
  if (type === 0 || type === S_IFREG || type === S_IFDIR || type === S_IFLNK) return undefined;
  return `has the unsupported file type 0o${type.toString(8)}`;
}

// yauzl checks names itself while reading the central directory and reports them as errors.
const YAUZL_UNSAFE =
  /^(absolute path|invalid relative path|invalid characters in fileName): (.*)$/s;

function zipFailure(error: unknown, stagingDir: string): ProvisimError {
  if (isProvisimError(error)) return error;
  const written = writeFailure(error, stagingDir);
  if (written) return written;
  if (errnoCode(error) === 'EEXIST') return unreadable('it holds the same entry twice', error);
  const message = error instanceof Error ? error.message : String(error);
  const unsafe = YAUZL_UNSAFE.exec(message);
  if (unsafe) return unsafeEntry(unsafe[2] ?? '?', `is refused (${unsafe[1]})`);
  return unreadable(`the zip data is damaged (${message})`, error);
}

async function readLinkTarget(zip: ZipFile, entry: Entry): Promise<string> {
  if (entry.uncompressedSize > MAX_LINK_TARGET_BYTES) {
    throw unsafeEntry(entry.fileName, 'is a symbolic link with an overlong target');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Refuses a path whose existing parent folders include a symbolic link (a write-through). */
async function assertNoLinkOnTheWay(stagingDir: string, name: string): Promise<void> {
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  let current = stagingDir;
  for (const part of parts.slice(0, -1)) {
    current = join(current, part);
    const stats = await lstat(current).catch(() => undefined);
    if (!stats) return;
    if (stats.isSymbolicLink()) throw unsafeEntry(name, 'would be written through a symbolic link');
  }
}

async function unpackEntries(
  zip: ZipFile,
  stagingDir: string,
  limits: ArchiveLimits,
  archiveBytes: number,
) {
  if (zip.entryCount > limits.maxEntries) throw overLimit('entries', limits.maxEntries);
  const links: PendingLink[] = [];
  let unpackedBytes = 0;
  for await (const entry of zip.eachEntry()) {
    const name = entry.fileName;
    const mode = unixMode(entry);
    const reason = unsafeNameReason(name) ?? typeReason(mode);
    if (reason) throw unsafeEntry(name, reason);
    unpackedBytes += entry.uncompressedSize;
    if (unpackedBytes > limits.maxUnpackedBytes) {
      throw overLimit('bytes of files', limits.maxUnpackedBytes);
    }
    // Entries that share their compressed data (a zip bomb) declare more than deflate can hold.
    if (unpackedBytes > MAX_EXPANSION_RATIO * archiveBytes + EXPANSION_SLACK) {
      throw overExpanded(MAX_EXPANSION_RATIO);
    }
    const path = join(stagingDir, name);
    if (((mode ?? 0) & S_IFMT) === S_IFLNK) {
      const target = await readLinkTarget(zip, entry);
      const linkReason = unsafeLinkReason(name, target);
      if (linkReason) throw unsafeEntry(name, linkReason);
      links.push({ name, target });
    } else if (name.endsWith('/') || ((mode ?? 0) & S_IFMT) === S_IFDIR) {
      await mkdir(path, { recursive: true, mode: safeMode(mode, true) });
    } else {
      await mkdir(dirname(path), { recursive: true });
      await assertRoomFor(stagingDir, entry.uncompressedSize, limits.keepFreeBytes ?? 0);
      // The entry's data first: a write stream that fails to open while this awaits would
      // emit its error with no listener yet.
      const input = await zip.openReadStreamPromise(entry);
      const output = createWriteStream(path, { flags: 'wx', mode: safeMode(mode, false) });
      await pipeline(input, output);
    }
  }
  // Links come last, so no file of the archive can be written through one of them.
  for (const link of links) {
    await assertNoLinkOnTheWay(stagingDir, link.name);
    const path = join(stagingDir, link.name);
    await mkdir(dirname(path), { recursive: true });
    await symlink(link.target, path);
  }
  return { entries: zip.entryCount, unpackedBytes };
}

/** Unpacks a zip into `stagingDir` with the same safety rules as tar; removes it all on failure. */
export async function extractZip(
  zipPath: string,
  stagingDir: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ExtractSummary> {
  await mkdir(stagingDir, { recursive: true }).catch((error: unknown) => {
    throw stagingFailure(error, stagingDir);
  });
  let handle: FileHandle | undefined;
  let zip: ZipFile | undefined;
  try {
    handle = await open(zipPath, 'r');
    const { size } = await handle.stat();
    zip = await fromRandomAccessReaderPromise(new FileRangeReader(handle), size, {
      lazyEntries: true,
      autoClose: false,
    });
    return await unpackEntries(zip, stagingDir, limits, size);
  } catch (error) {
    // The archive's problem is the news, even if removing what was written fails too.
    await rm(stagingDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    throw zipFailure(error, stagingDir);
  } finally {
    zip?.close();
    await handle?.close();
  }
}
