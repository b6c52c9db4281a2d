import type { FaultOf } from '../../../shared/faults.ts';

/** A copy of the chunk at file offset `at` with the bytes the corrupt faults name inverted. */
export function corruptChunk(
  chunk: Buffer,
  at: number,
  faults: readonly FaultOf<'corrupt'>[],
): Buffer {
  let out = chunk;
  for (const fault of faults) {
    const from = Math.max(fault.offset, at);
    const to = Math.min(fault.offset + (fault.length ?? 1), at + chunk.length);
    if (from >= to) continue;
    // The read stream may share its buffer; never change the bytes in place.
    if (out === chunk) out = Buffer.from(chunk);
    for (let i = from - at; i < to - at; i++) out[i] = out[i]! ^ 0xff;
  }
  return out;
}
