/** Bounds an archive must stay within to be unpacked. */
export interface ArchiveLimits {
  /** Most entries (files, folders, links) the archive may hold. */
  readonly maxEntries: number;
  /** Most bytes its files may add up to once unpacked. */
  readonly maxUnpackedBytes: number;
  /** Free space to keep on the staging volume while unpacking (default 0: only never fill it). */
  readonly keepFreeBytes?: number;
}

/**
 * Deflate cannot expand data more than about 1032 times: an archive that unpacks (or declares)
 * more than this per byte it holds reuses its compressed data, as overlapping-entry zip bombs do.
 */
export const MAX_EXPANSION_RATIO = 1100;

/** Limits generous enough for any real VM and small enough to stop an archive bomb. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 100_000,
  maxUnpackedBytes: 2 ** 40,
};
