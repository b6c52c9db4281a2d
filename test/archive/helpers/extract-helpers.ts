import {
  createTarExtractor,
  type ExtractSummary,
} from '../../../electron/archive/tar-extractor.ts';
import type { ArchiveLimits } from '../../../electron/archive/archive-limits.ts';

/** Feeds an archive to a fresh streaming extractor in chunks of `chunkSize` bytes. */
export async function extractBytes(
  archive: Buffer,
  stagingDir: string,
  options: { chunkSize?: number; limits?: ArchiveLimits } = {},
): Promise<ExtractSummary> {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const extractor = createTarExtractor({ stagingDir, limits: options.limits });
  for (let at = 0; at < archive.length; at += chunkSize) {
    await extractor.write(archive.subarray(at, at + chunkSize));
  }
  return extractor.end();
}
