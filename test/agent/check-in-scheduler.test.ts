import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckInScheduler } from '../../electron/agent/check-in-scheduler.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CheckInScheduler', () => {
  it('runs once per interval after start and stops on stop', async () => {
    const run = vi.fn(async () => undefined);
    const scheduler = new CheckInScheduler({ run, intervalSec: 60, random: () => 0.5 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(run).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(2);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('keeps the delay within interval ± jitter', () => {
    const low = new CheckInScheduler({ run: async () => {}, intervalSec: 100, random: () => 0 });
    const high = new CheckInScheduler({
      run: async () => {},
      intervalSec: 100,
      jitterRatio: 0.2,
      random: () => 0.999999,
    });
    expect(low.nextDelayMs()).toBe(90_000);
    expect(high.nextDelayMs()).toBeLessThanOrEqual(120_000);
    expect(high.nextDelayMs()).toBeGreaterThan(119_000);
    const real = new CheckInScheduler({ run: async () => {}, intervalSec: 100 });
    for (let i = 0; i < 200; i += 1) {
      const delay = real.nextDelayMs();
      expect(delay).toBeGreaterThanOrEqual(90_000);
      expect(delay).toBeLessThanOrEqual(110_000);
    }
  });

  it('follows the interval the last run returned', async () => {
    const run = vi.fn(async () => ({ checkInIntervalSec: 10 }));
    const scheduler = new CheckInScheduler({ run, intervalSec: 60, random: () => 0.5 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(scheduler.intervalSec).toBe(10);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(2);
    scheduler.stop();
  });

  it('keeps the schedule after a failure and reports it', async () => {
    const errors: unknown[] = [];
    const run = vi
      .fn<() => Promise<void>>()
      .mockRejectedValueOnce(new Error('portal down'))
      .mockResolvedValue(undefined);
    const scheduler = new CheckInScheduler({
      run,
      intervalSec: 30,
      random: () => 0.5,
      onError: (error) => errors.push(error),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(errors).toEqual([new Error('portal down')]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(run).toHaveBeenCalledTimes(2);
    scheduler.stop();
  });

  it('never runs twice at once', async () => {
    let active = 0;
    let maxActive = 0;
    let finish: () => void = () => {};
    const run = vi.fn(async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((resolve) => (finish = resolve));
      active -= 1;
    });
    const scheduler = new CheckInScheduler({ run, intervalSec: 1, random: () => 0.5 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    const joined = scheduler.triggerNow();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await joined;
    expect(maxActive).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(run).toHaveBeenCalledTimes(2);
    scheduler.stop();
    finish();
  });

  it('triggerNow runs at once and restarts the countdown', async () => {
    const run = vi.fn(async () => undefined);
    const scheduler = new CheckInScheduler({ run, intervalSec: 60, random: () => 0.5 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(50_000);
    await scheduler.triggerNow();
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(run).toHaveBeenCalledTimes(2);
    scheduler.stop();
  });

  it('runs at start when asked to, and schedules nothing after stop during a run', async () => {
    let finish: () => void = () => {};
    const run = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const scheduler = new CheckInScheduler({ run, intervalSec: 5, immediate: true });
    scheduler.start();
    expect(run).toHaveBeenCalledTimes(1);
    scheduler.stop();
    finish();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(scheduler.started).toBe(false);
  });
});
