import { AdminError } from '../admin/admin-error.ts';

// 64 hex digits, alone or followed by the file name as `shasum -a 256` prints it.
const SHA256_OR_SHASUM_LINE = /^([0-9a-fA-F]{64})(?:[ \t]+[^\r\n]*)?$/;

/** The SHA-256 (lower-case hex) of a checksum given as hex or as a `shasum -a 256` line. */
export function checksumHex(text: string, where: string): string {
  const match = SHA256_OR_SHASUM_LINE.exec(text.trim());
  if (!match) {
    throw new AdminError(
      'CHECKSUM_INVALID',
      `The checksum in ${where} is not a SHA-256: give 64 hex digits, optionally followed by the file name as "shasum -a 256 <file>" prints it.`,
    );
  }
  return match[1]!.toLowerCase();
}

/** The first eight hex digits and the last four, enough to tell two checksums apart. */
export function shortHex(hex: string): string {
  return `${hex.slice(0, 8)}…${hex.slice(-4)}`;
}
