import { Transform } from 'node:stream';

/**
 * A pass-through that holds a download to `bytesPerSecond`, as a Mac on a slow line receives it:
 * each chunk waits until the bytes so far are due, and the waiting slows the sender through
 * backpressure (TCP's receive window), not by dropping anything.
 */
export function rateCap(bytesPerSecond: number): Transform {
  const start = performance.now();
  let passed = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      passed += chunk.length;
      const due = start + (passed / bytesPerSecond) * 1000 - performance.now();
      if (due <= 1) done(null, chunk);
      else setTimeout(() => done(null, chunk), Math.ceil(due));
    },
  });
}
