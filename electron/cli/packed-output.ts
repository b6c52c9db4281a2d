import type { PackResult } from '../archive/pack-vm.ts';

/**
 * What make-image and pack print: the archive, its checksum as `shasum -a 256 <archive>` prints
 * it (so `shasum -c` can check it), and where the checksum file is.
 */
export function describePacked(result: PackResult): string {
  const { archivePath, sha256, sha256Path } = result;
  return `${archivePath}\n${sha256}  ${archivePath}\nChecksum file: ${sha256Path}\n`;
}
