import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobProgress } from '../../shared/ipc-contract.ts';
import { ProgressMeter } from '../../electron/app/progress-meter.ts';

const TOTAL = 1_000_000;

function meterAt(clock: { now: number }) {
  const sent: JobProgress[] = [];
  const meter = new ProgressMeter({
    emit: (progress) => sent.push(progress),
    intervalMs: 250,
    windowMs: 3_000,
    now: () => clock.now,
  });
  // null: a server that did not say how big the image is.
  const report = (transferred: number, total: number | null = TOTAL) =>
    meter.update({
      transferred,
      total: total ?? undefined,
      attemptBytes: transferred,
      resumedFrom: 0,
    });
  return { meter, sent, report };
}

describe('the progress meter', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('sends the first report at once and coalesces the next ones within the interval', () => {
    const clock = { now: 0 };
    const { sent, report } = meterAt(clock);
    report(1_000);
    clock.now = 100;
    report(2_000);
    clock.now = 200;
    report(3_000);
    expect(sent.map((p) => p.transferred)).toEqual([1_000]);
    clock.now = 250;
    vi.advanceTimersByTime(250);
    expect(sent.map((p) => p.transferred)).toEqual([1_000, 3_000]);
  });

  it('keeps the last report before a stall, sending it when the interval ends', () => {
    const clock = { now: 0 };
    const { sent, report } = meterAt(clock);
    report(10);
    clock.now = 10;
    report(500_000);
    expect(sent.at(-1)!.transferred).toBe(10);
    vi.runAllTimers();
    expect(sent.at(-1)!.transferred).toBe(500_000);
  });

  it('measures the rate over the window and derives the ETA', () => {
    const clock = { now: 0 };
    const { sent, report } = meterAt(clock);
    report(0);
    clock.now = 1_000;
    report(250_000);
    expect(sent.at(-1)).toEqual({
      transferred: 250_000,
      total: TOTAL,
      fraction: 0.25,
      rate: 250_000,
      etaSeconds: 3,
    });
  });

  it('sends the finished report at once with an ETA of zero', () => {
    const clock = { now: 0 };
    const { sent, report } = meterAt(clock);
    report(0);
    clock.now = 50;
    report(TOTAL);
    expect(sent.at(-1)).toMatchObject({ transferred: TOTAL, fraction: 1, etaSeconds: 0 });
  });

  it('has no fraction or ETA when the size is unknown, and drops reports that change nothing', () => {
    const clock = { now: 0 };
    const { sent, report, meter } = meterAt(clock);
    report(5_000, null);
    clock.now = 1_000;
    report(5_000, null);
    meter.flush();
    expect(sent).toEqual([
      { transferred: 5_000, total: null, fraction: null, rate: 0, etaSeconds: null },
    ]);
  });

  it('forgets everything on reset, so a new job starts from its own first report', () => {
    const clock = { now: 0 };
    const { sent, report, meter } = meterAt(clock);
    report(700_000);
    clock.now = 10;
    report(800_000);
    meter.reset();
    vi.runAllTimers();
    expect(sent.map((p) => p.transferred)).toEqual([700_000]);
    report(700_000);
    expect(sent.map((p) => p.transferred)).toEqual([700_000, 700_000]);
  });
});
