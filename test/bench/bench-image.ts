import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeImage } from '../../electron/archive/make-image.ts';
import { sha256PathFor } from '../../electron/archive/pack-vm.ts';
import type { Arch } from '../../shared/protocol.ts';
import { sizeLabel } from './bench-config.ts';

/** One cached `.pvmp` image the bench downloads. */
export interface BenchImage {
  /** Bytes of disk data asked of makeImage. */
  readonly dataBytes: number;
  /** Bytes of the archive file itself. */
  readonly archiveBytes: number;
  readonly path: string;
  /** File name inside the images folder (no characters that need encoding in a URL). */
  readonly file: string;
  readonly sha256: string;
}

/** Returns the image for this size from `imagesDir`, making it once (repeated runs reuse it). */
export async function cachedImage(
  imagesDir: string,
  dataBytes: number,
  arch: Arch,
): Promise<BenchImage> {
  const file = `bench-${dataBytes}.pvmp`;
  const path = join(imagesDir, file);
  // nginx's workers run as nobody: the folder must be readable by others.
  await mkdir(imagesDir, { recursive: true, mode: 0o755 });
  await chmod(imagesDir, 0o755);
  // The checksum file is written after the archive is complete, so it marks a finished image.
  if (!existsSync(path) || !existsSync(sha256PathFor(path))) {
    process.stderr.write(`making a ${sizeLabel(dataBytes)} image (cached in ${imagesDir})...\n`);
    await makeImage({
      name: `bench-${dataBytes}`,
      arch,
      sizeBytes: dataBytes,
      outDir: imagesDir,
      seed: 'bench',
    });
  }
  await chmod(path, 0o644);
  const sha256 = (await readFile(sha256PathFor(path), 'utf8')).split(/\s+/)[0]!;
  return { dataBytes, archiveBytes: (await stat(path)).size, path, file, sha256 };
}
