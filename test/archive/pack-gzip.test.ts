import { randomBytes } from 'node:crypto';
import { crc32, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32WithZeros } from '../../electron/archive/pack-crc.ts';
import { GZIP_UNIT_BYTES, gzipUnits } from '../../electron/archive/pack-gzip.ts';

const UNIT = GZIP_UNIT_BYTES;

async function gzipOf(input: Buffer, pieceBytes: number, parallel?: number): Promise<Buffer> {
  async function* pieces() {
    for (let at = 0; at < input.length; at += pieceBytes) yield input.subarray(at, at + pieceBytes);
  }
  const out: Buffer[] = [];
  for await (const chunk of gzipUnits(pieces(), { parallel })) out.push(chunk);
  return Buffer.concat(out);
}

// Data, a run of zeros that covers whole units only once cut by offset, data, and a short tail.
function sampleInput(): Buffer {
  return Buffer.concat([
    randomBytes(UNIT / 2 + 3),
    Buffer.alloc(3 * UNIT),
    Buffer.from('x'.repeat(UNIT)),
    Buffer.alloc(UNIT),
    randomBytes(1000),
  ]);
}

describe('gzipUnits', () => {
  it('gives a gzip that gunzip reads back to the same bytes', async () => {
    const input = sampleInput();
    expect(gunzipSync(await gzipOf(input, 64 * 1024)).equals(input)).toBe(true);
    expect(gunzipSync(await gzipOf(Buffer.alloc(0), 1)).length).toBe(0);
  });

  it('gives the same bytes however the input is cut and however many units run at once', async () => {
    const input = sampleInput();
    const whole = await gzipOf(input, input.length, 1);
    expect((await gzipOf(input, 4099, 4)).equals(whole)).toBe(true);
    expect((await gzipOf(input, 3 * UNIT + 1, 2)).equals(whole)).toBe(true);
  });

  it('writes no time stamp and the same OS byte on every machine', async () => {
    const gzip = await gzipOf(Buffer.from('config'), 10);
    expect([...gzip.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  });

  it('stores a unit of zeros in about a thousandth of its size', async () => {
    const gzip = await gzipOf(Buffer.alloc(64 * UNIT), 4 * UNIT);
    expect(gzip.length).toBeLessThan((64 * UNIT) / 900);
  });

  it('refuses a level outside 1 to 9', async () => {
    const run = gzipUnits((async function* () {})(), { level: 0 });
    await expect(run.next()).rejects.toThrow(/level/);
  });
});

describe('crc32WithZeros', () => {
  it('moves a CRC-32 over zero bytes as reading them would', () => {
    for (const zeros of [1, 511, UNIT]) {
      const after = crc32WithZeros(zeros);
      for (const data of [Buffer.alloc(0), Buffer.from('a'), randomBytes(777)]) {
        expect(after(crc32(data))).toBe(crc32(Buffer.concat([data, Buffer.alloc(zeros)])));
      }
    }
  });
});
