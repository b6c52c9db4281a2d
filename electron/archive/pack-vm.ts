import { createHash } from 'node:crypto';
import { open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { TransferProgress } from '../../shared/ipc-contract.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { archiveChunks } from './pack-streams.ts';
import { readVmConfig } from './vm-config.ts';
import { listVmTree } from './vm-tree.ts';

/** How `packVm` writes the archive. */
export interface PackOptions {
  /** Archive path; `<folder of the VM>/<Name>.pvmp` (or `.zip`) when absent. */
  out?: string;
  format?: 'pvmp' | 'zip';
  /** Compress the data: gzip for a .pvmp, deflate for a zip. On unless false. */
  compress?: boolean;
  /** Bytes of the VM's files read, of all: at the start, every `progressIntervalMs`, at the end. */
  onProgress?: (progress: TransferProgress) => void;
  progressIntervalMs?: number;
  /** Cancels the pack: the partial archive is removed and `packVm` rejects with CANCELLED. */
  signal?: AbortSignal;
}

/** What `packVm` wrote. */
export interface PackResult {
  archivePath: string;
  sha256: string;
  /** The `<Name>.sha256.txt` beside the archive, as `shasum -a 256` prints it. */
  sha256Path: string;
  sizeBytes: number;
}

const PROGRESS_INTERVAL_MS = 250;
// Compressed zeros arrive a few hundred bytes at a time: written in batches of this size.
const WRITE_BATCH_BYTES = 1024 * 1024;

/** The `.sha256.txt` path for an archive: its name without the extension, beside it. */
export function sha256PathFor(archivePath: string): string {
  const name = basename(archivePath);
  const stem = extname(name) === '' ? name : name.slice(0, -extname(name).length);
  return join(dirname(archivePath), `${stem}.sha256.txt`);
}

/** The partial files a pack of a VM folder to its default place leaves if the process dies. */
export function packPartialsOf(pvmDir: string): string[] {
  const root = resolve(pvmDir);
  const name = basename(root).replace(/\.pvm$/i, '');
  const archives = ['pvmp', 'zip'].map((format) => join(dirname(root), `${name}.${format}`));
  const partials = archives.flatMap((archive) => [archive, sha256PathFor(archive)]);
  return [...new Set(partials)].map((path) => `${path}.partial`);
}

/** The line `shasum -a 256 <file name>` prints for an archive. */
export function shasumLine(sha256: string, archivePath: string): string {
  return `${sha256}  ${basename(archivePath)}\n`;
}

function cancelled(): ProvisimError {
  return new ProvisimError('CANCELLED', {
    message: 'Prepare for Transfer was cancelled; the partial archive was removed.',
  });
}

/** Calls `onProgress` at most once per `intervalMs`, unless told it must. */
function throttled(intervalMs: number, onProgress: () => void) {
  let reportedAt = -Infinity;
  return (must: boolean) => {
    const now = performance.now();
    if (!must && now - reportedAt < intervalMs) return;
    reportedAt = now;
    onProgress();
  };
}

/** Writes the archive's bytes to an open file, hashing them on the way. */
async function writeArchive(file: FileHandle, chunks: AsyncIterable<Uint8Array>) {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const flush = async () => {
    const bytes = Buffer.concat(batch, batchBytes);
    batch = [];
    batchBytes = 0;
    for (let at = 0; at < bytes.length;) at += (await file.write(bytes, at)).bytesWritten;
  };
  for await (const chunk of chunks) {
    hash.update(chunk);
    sizeBytes += chunk.length;
    batch.push(chunk);
    batchBytes += chunk.length;
    if (batchBytes >= WRITE_BATCH_BYTES) await flush();
  }
  await flush();
  return { sha256: hash.digest('hex'), sizeBytes };
}

/**
 * Prepares a VM folder for transfer: a deterministic archive plus its SHA-256 file, in one pass.
 * Until it succeeds the archive is `<archive>.partial`; a cancel or a failure removes it and
 * leaves no checksum file.
 */
export async function packVm(pvmDir: string, options: PackOptions = {}): Promise<PackResult> {
  const { signal } = options;
  if (signal?.aborted) throw cancelled();
  const root = resolve(pvmDir);
  await readVmConfig(root);
  const name = basename(root).replace(/\.pvm$/i, '');
  const format = options.format ?? 'pvmp';
  const archivePath = resolve(options.out ?? join(dirname(root), `${name}.${format}`));
  const tree = await listVmTree(root);
  const totalBytes = tree.reduce((sum, entry) => sum + (entry.kind === 'file' ? entry.size : 0), 0);
  let readBytes = 0;
  const report = throttled(options.progressIntervalMs ?? PROGRESS_INTERVAL_MS, () =>
    options.onProgress?.({ readBytes, totalBytes }),
  );
  const partial = `${archivePath}.partial`;
  const sha256Path = sha256PathFor(archivePath);
  const shaPartial = `${sha256Path}.partial`;
  const file = await open(partial, 'w');
  let archiveRenamed = false;
  try {
    report(true);
    const chunks = archiveChunks({
      root,
      name,
      tree,
      format,
      compress: options.compress ?? true,
      tally: {
        signal,
        onRead: (bytes) => {
          readBytes += bytes;
          report(false);
        },
      },
    });
    const { sha256, sizeBytes } = await writeArchive(file, chunks);
    await file.close();
    signal?.throwIfAborted();
    report(true);
    // The checksum file first, under a partial name too: a failure before the archive's rename
    // leaves neither of them.
    await writeFile(shaPartial, shasumLine(sha256, archivePath));
    await rename(partial, archivePath);
    archiveRenamed = true;
    await rename(shaPartial, sha256Path);
    return { archivePath, sha256, sha256Path, sizeBytes };
  } catch (error) {
    await file.close().catch(() => undefined);
    // An archive whose checksum file could not be put beside it is no transfer package either.
    const left = archiveRenamed ? [partial, shaPartial, archivePath] : [partial, shaPartial];
    await Promise.all(left.map((path) => rm(path, { force: true })));
    throw signal?.aborted ? cancelled() : error;
  }
}
