import { afterEach, describe, expect, it, vi } from 'vitest';
import { rateCap } from '../../../electron/agent/download/rate-cap.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('rateCap', () => {
  it('passes each chunk when the bytes so far are due at the rate, not before', async () => {
    vi.useFakeTimers();
    const cap = rateCap(1000);
    const out: number[] = [];
    cap.on('data', (chunk: Buffer) => out.push(chunk.length));
    cap.write(Buffer.alloc(500));
    cap.write(Buffer.alloc(500));
    await vi.advanceTimersByTimeAsync(499);
    expect(out).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(out).toEqual([500]);
    await vi.advanceTimersByTimeAsync(499);
    expect(out).toEqual([500]);
    await vi.advanceTimersByTimeAsync(1);
    expect(out).toEqual([500, 500]);
  });

  it('lets bytes through at once when they are behind the rate already', async () => {
    vi.useFakeTimers();
    const cap = rateCap(1000);
    const out: number[] = [];
    cap.on('data', (chunk: Buffer) => out.push(chunk.length));
    await vi.advanceTimersByTimeAsync(2000);
    cap.write(Buffer.alloc(1000));
    await vi.advanceTimersByTimeAsync(0);
    expect(out).toEqual([1000]);
  });
});
