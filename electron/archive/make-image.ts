import { createCipheriv, createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch } from '../../shared/protocol.ts';
import { packVm, type PackResult } from './pack-vm.ts';
import { safeVmFileName } from './vm-bundle.ts';
import { renderDiskDescriptor } from './disk-descriptor.ts';
import { CONFIG_FILE, renderVmConfig } from './vm-config.ts';

/** What `makeImage` builds. */
export interface MakeImageOptions {
  name: string;
  arch: Arch;
  /** Bytes of pseudo-random disk data in the image. */
  sizeBytes: number;
  outDir: string;
  format?: 'pvmp' | 'zip';
  gzip?: boolean;
  /** Changes the uuid and the disk bytes; the same seed gives the same archive. */
  seed?: string;
}

const CHUNK_BYTES = 1024 * 1024;
const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
};

/** Reads a size such as `64MiB`, `1GiB`, `512KiB`, `2GB` (decimal) or `1000000` (bytes). */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  const bytes = match && factor !== undefined ? Math.round(Number(match[1]) * factor) : NaN;
  if (!Number.isSafeInteger(bytes)) {
    throw new TypeError(
      `"${text}" is not a size: use a number of bytes or a number with KiB, MiB, GiB, TiB, KB, MB, GB or TB (e.g. 64MiB).`,
    );
  }
  return bytes;
}

function digest(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('\0')).digest();
}

/** A uuid shaped like a random (v4) one, derived from the given text. */
export function deterministicUuid(...parts: string[]): string {
  const bytes = digest('uuid', ...parts).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Writes `sizeBytes` of seeded pseudo-random bytes (an AES-128-CTR keystream) to a file. */
async function writeNoise(path: string, sizeBytes: number, seed: string): Promise<void> {
  const key = digest('disk', seed);
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const zeros = Buffer.alloc(CHUNK_BYTES);
  const file = await open(path, 'w');
  try {
    for (let written = 0; written < sizeBytes; written += CHUNK_BYTES) {
      const length = Math.min(CHUNK_BYTES, sizeBytes - written);
      await file.write(cipher.update(zeros.subarray(0, length)));
    }
  } finally {
    await file.close();
  }
}

/** Builds a synthetic, deterministic VM and packs it; the same options give the same bytes. */
export async function makeImage(options: MakeImageOptions): Promise<PackResult> {
  const { name, arch, sizeBytes, outDir } = options;
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
    throw new TypeError(`sizeBytes must be a whole number of bytes, not ${sizeBytes}`);
  }
  const seed = options.seed ?? 'provisim';
  const uuid = deterministicUuid(seed, name, arch);
  const format = options.format ?? 'pvmp';
  const fileName = safeVmFileName(name);
  await mkdir(outDir, { recursive: true });
  const work = await mkdtemp(join(outDir, '.make-image-'));
  try {
    const pvmDir = join(work, `${fileName}.pvm`);
    const diskDir = join(pvmDir, 'harddisk.hdd');
    const dataFile = `${uuid}.hds`;
    await mkdir(diskDir, { recursive: true });
    await writeFile(
      join(pvmDir, CONFIG_FILE),
      renderVmConfig({ uuid, name, arch, cpus: 2, memoryMb: 4096 }),
    );
    await writeFile(join(diskDir, 'DiskDescriptor.xml'), renderDiskDescriptor(sizeBytes, dataFile));
    await writeNoise(join(diskDir, dataFile), sizeBytes, `${seed}\0${name}\0${arch}`);
    // Fixed modes: the packing umask must not change the archive bytes.
    for (const dir of [pvmDir, diskDir]) await chmod(dir, 0o755);
    for (const file of [
      join(pvmDir, CONFIG_FILE),
      join(diskDir, 'DiskDescriptor.xml'),
      join(diskDir, dataFile),
    ]) {
      await chmod(file, 0o644);
    }
    const out = join(outDir, `${fileName}.${format}`);
    return await packVm(pvmDir, { out, format, compress: options.gzip ?? false });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
