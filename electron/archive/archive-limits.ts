/** Bounds an archive must stay within to be unpacked. */
export interface ArchiveLimits {
  /** Most entries (files, folders, links) the archive may hold. */
  readonly maxEntries: number;
  /** Most bytes its files may add up to once unpacked. */
  readonly maxUnpackedBytes: number;
}

/** Limits generous enough for any real VM and small enough to stop an archive bomb. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 100_000,
  maxUnpackedBytes: 2 ** 40,
};
