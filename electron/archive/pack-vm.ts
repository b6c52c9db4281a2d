import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readVmConfig } from './vm-config.ts';
import { tarStream, zipStream } from './pack-streams.ts';
import { listVmTree } from './vm-tree.ts';

/** How `packVm` writes the archive. */
export interface PackOptions {
  /** Archive path; `<folder of the VM>/<Name>.pvmp` (or `.zip`) when absent. */
  out?: string;
  format?: 'pvmp' | 'zip';
  /** Compress the data: gzip for pvmp, deflate for zip. Off by default. */
  gzip?: boolean;
}

/** What `packVm` wrote. */
export interface PackResult {
  archivePath: string;
  sha256: string;
  /** The `<Name>.sha256.txt` beside the archive, as `shasum -a 256` prints it. */
  sha256Path: string;
  sizeBytes: number;
}

/** The `.sha256.txt` path for an archive: its name without the extension, beside it. */
export function sha256PathFor(archivePath: string): string {
  const name = basename(archivePath);
  const stem = extname(name) === '' ? name : name.slice(0, -extname(name).length);
  return join(dirname(archivePath), `${stem}.sha256.txt`);
}

/** The line `shasum -a 256 <file name>` prints for an archive. */
export function shasumLine(sha256: string, archivePath: string): string {
  return `${sha256}  ${basename(archivePath)}\n`;
}

/** Prepares a VM folder for transfer: a deterministic archive plus its SHA-256 file, in one pass. */
export async function packVm(pvmDir: string, options: PackOptions = {}): Promise<PackResult> {
  const root = resolve(pvmDir);
  await readVmConfig(root);
  const name = basename(root).replace(/\.pvm$/i, '');
  const format = options.format ?? 'pvmp';
  const archivePath = resolve(options.out ?? join(dirname(root), `${name}.${format}`));
  const tree = await listVmTree(root);
  const gzip = options.gzip ?? false;
  const source =
    format === 'zip' ? zipStream(root, name, tree, gzip) : tarStream(root, name, tree, gzip);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      done(null, chunk);
    },
  });
  const partial = `${archivePath}.partial`;
  try {
    await pipeline(source, measure, createWriteStream(partial));
    await rename(partial, archivePath);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const sha256 = hash.digest('hex');
  const sha256Path = sha256PathFor(archivePath);
  await writeFile(sha256Path, shasumLine(sha256, archivePath));
  return { archivePath, sha256, sha256Path, sizeBytes };
}
