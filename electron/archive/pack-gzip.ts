import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, deflateRawSync } from 'node:zlib';
import { crc32WithZeros } from './pack-crc.ts';

const deflateUnit = promisify(deflateRaw);

/** Bytes of input compressed as one independent deflate run. */
export const GZIP_UNIT_BYTES = 1024 * 1024;

/** The gzip level Prepare for Transfer uses (see docs/archive-format.md for the figures). */
export const PACK_GZIP_LEVEL = 6;

// A gzip header with no name, no time stamp and a fixed OS byte (255, unknown): zlib would write
// the OS it was built for, and an archive must not depend on the Mac or Linux box that packed it.
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
// A last, empty block with fixed codes: ends the deflate stream the units left open.
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
const ZERO_UNIT = Buffer.alloc(GZIP_UNIT_BYTES);
let zeroRun: Buffer | undefined;
const crc32AfterZeroUnit = crc32WithZeros(GZIP_UNIT_BYTES);

// A unit of zeros always gets deflate's best ratio (about 1:1000): it is made once, whatever the
// level, and reused for every hole of a sparse disk.
function compressedZeros(): Buffer {
  zeroRun ??= deflateRawSync(ZERO_UNIT, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  return zeroRun;
}

/** Cuts a byte stream into units of GZIP_UNIT_BYTES by offset, as views of the input. */
async function* units(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer[]> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const piece of source) {
    let chunk = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (heldBytes + chunk.length >= GZIP_UNIT_BYTES) {
      const take = GZIP_UNIT_BYTES - heldBytes;
      held.push(chunk.subarray(0, take));
      yield held;
      chunk = chunk.subarray(take);
      held = [];
      heldBytes = 0;
    }
    if (chunk.length > 0) {
      held.push(chunk);
      heldBytes += chunk.length;
    }
  }
  if (heldBytes > 0) yield held;
}

function isZeroUnit(pieces: readonly Buffer[]): boolean {
  let length = 0;
  for (const piece of pieces) {
    if (!piece.equals(ZERO_UNIT.subarray(0, piece.length))) return false;
    length += piece.length;
  }
  return length === GZIP_UNIT_BYTES;
}

/**
 * Gzips a byte stream deterministically: each unit of the input is deflated on its own (on the
 * thread pool, `parallel` at a time) and the runs are joined into one gzip member. The output
 * depends only on the input bytes and the level, never on how the input was chunked, and a unit
 * of zeros (a hole in a sparse disk) costs a lookup instead of a deflate.
 */
export async function* gzipUnits(
  source: AsyncIterable<Uint8Array>,
  options: { level?: number; parallel?: number } = {},
): AsyncGenerator<Buffer> {
  const level = options.level ?? PACK_GZIP_LEVEL;
  const parallel = options.parallel ?? Math.min(4, availableParallelism());
  if (!Number.isInteger(level) || level < 1 || level > 9) {
    throw new TypeError(`level must be a whole number from 1 to 9, not ${level}`);
  }
  yield HEADER;
  let crc = 0;
  let length = 0;
  const pending: Promise<Buffer>[] = [];
  for await (const pieces of units(source)) {
    if (isZeroUnit(pieces)) {
      // Neither copied nor read again: the checksum moves over the zeros arithmetically.
      crc = crc32AfterZeroUnit(crc);
      length += GZIP_UNIT_BYTES;
      pending.push(Promise.resolve(compressedZeros()));
    } else {
      const unit = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
      crc = crc32(unit, crc);
      length += unit.length;
      // One output chunk per unit: zlib's 16 KiB default means ~64 thread-pool trips per MiB.
      const deflated = deflateUnit(unit, {
        level,
        finishFlush: constants.Z_SYNC_FLUSH,
        chunkSize: GZIP_UNIT_BYTES + 64 * 1024,
      });
      // Awaited in turn below; until then (or if the consumer stops first) not "unhandled".
      deflated.catch(() => undefined);
      pending.push(deflated);
    }
    if (pending.length >= parallel) yield await pending.shift()!;
  }
  while (pending.length > 0) yield await pending.shift()!;
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  yield Buffer.concat([FINAL_BLOCK, trailer]);
}
