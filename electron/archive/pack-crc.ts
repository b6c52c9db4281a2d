import { crc32 } from 'node:zlib';

// CRC-32's polynomial in its reflected bit order, as zlib keeps it.
const POLY = 0xedb88320;

// a(x) times b(x) modulo the polynomial (zlib's multmodp): bit 31 stands for x^0.
function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let product = 0;
  for (;;) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

// x^(8 * bytes) modulo the polynomial (zlib's x2nmodp(bytes, 3)).
function shiftBy(bytes: number): number {
  let square = 0x40000000; // x^1
  for (let k = 0; k < 3; k++) square = multiplyModP(square, square);
  let power = 0x80000000; // x^0
  for (let n = bytes; n > 0; n = Math.floor(n / 2)) {
    if (n % 2 === 1) power = multiplyModP(square, power);
    square = multiplyModP(square, square);
  }
  return power;
}

/**
 * The CRC-32 of some data followed by `bytes` zero bytes, computed from the CRC-32 of the data
 * alone without reading the zeros (zlib's crc32_combine with a fixed second length).
 */
export function crc32WithZeros(bytes: number): (crc: number) => number {
  const shift = shiftBy(bytes);
  const zeros = crc32(Buffer.alloc(bytes));
  return (crc) => (multiplyModP(shift, crc) ^ zeros) >>> 0;
}
