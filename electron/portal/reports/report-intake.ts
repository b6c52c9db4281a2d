import { createWriteStream } from 'node:fs';
import { Transform, finished, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProvisimError } from '../../../shared/provisim-error.ts';

// Every gzip member starts with these two bytes (RFC 1952, ID1 and ID2).
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * Writes an upload's body to `file` (new, owner-only) and returns its size. Stops reading and
 * throws `REPORT_TOO_LARGE` once it passes `maxBytes`, and `REPORT_INVALID` as soon as it does
 * not start like gzip or when it is shorter than the magic bytes.
 */
export async function receiveBundle(
  body: Readable | undefined,
  file: string,
  maxBytes: number,
): Promise<number> {
  if (!body) throw new ProvisimError('REPORT_INVALID');
  let size = 0;
  let head = Buffer.alloc(0);
  const gate = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new ProvisimError('REPORT_TOO_LARGE'));
      if (head.length < GZIP_MAGIC.length) {
        head = Buffer.concat([head, chunk.subarray(0, GZIP_MAGIC.length - head.length)]);
        if (!GZIP_MAGIC.subarray(0, head.length).equals(head)) {
          return done(new ProvisimError('REPORT_INVALID'));
        }
      }
      return done(null, chunk);
    },
    flush(done) {
      done(head.length < GZIP_MAGIC.length ? new ProvisimError('REPORT_INVALID') : null);
    },
  });
  // pipe(), not pipeline(), from the request: pipeline would destroy the request, and with it the
  // socket the refusal must go out on. A client that hangs up still ends the copy.
  const stopWatching = finished(body, (error) => {
    if (error) gate.destroy(error);
  });
  body.pipe(gate);
  try {
    await pipeline(gate, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } finally {
    body.unpipe(gate);
    stopWatching();
  }
  return size;
}
