import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { JobReporter } from '../../electron/agent/job-reporter.ts';
import { Outbox } from '../../electron/agent/outbox.ts';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import { startBlackHole } from '../helpers/black-hole.ts';
import { FakePortal } from '../helpers/fake-portal.ts';
import { eventFields } from '../helpers/sample-events.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
const silent = pino({ level: 'silent' });

describe('JobReporter', () => {
  it('delivers every event once and in order', async () => {
    const portal = await FakePortal.start();
    closers.push(() => portal.down());
    const outbox = new Outbox({
      home: await tempDir(),
      deviceId: randomUUID(),
      licenseKey: 'LIC-0001-ABCD',
      client: new PortalClient({ portalUrl: portal.url }),
    });
    const seen: string[] = [];
    const reporter = new JobReporter(outbox, silent, (event) => seen.push(event.id));
    for (const type of [
      'checked-in',
      'invited',
      'accepted',
      'download-started',
      'verified',
    ] as const) {
      reporter.emit(type, eventFields(type));
    }
    expect(await reporter.settle()).toEqual({ pending: 0 });
    expect([...portal.received.keys()]).toEqual(seen);
    expect([...portal.received.values()].every((count) => count === 1)).toBe(true);
  });

  it('emits download-progress at most once per its interval, 5 s unless told otherwise', async () => {
    const outbox = new Outbox({
      home: await tempDir(),
      deviceId: randomUUID(),
      licenseKey: 'LIC-0001-ABCD',
      client: new PortalClient({ portalUrl: 'http://127.0.0.1:9' }),
    });
    const progress = eventFields('download-progress');
    const emitted = (every?: number) => {
      const seen: number[] = [];
      const reporter = new JobReporter(outbox, silent, () => seen.push(1), every);
      for (const at of [0, 4_999, 5_000, 20_000, 24_999, 25_000, 50_000])
        reporter.progress(progress, at);
      return seen.length;
    };
    // 0, 5,000, 20,000, 25,000 and 50,000 by default; 0, 25,000 and 50,000 every 25 s.
    expect(emitted()).toBe(5);
    expect(emitted(25_000)).toBe(3);
  });

  it('returns at its deadline and keeps the events when the portal never answers', async () => {
    const hole = await startBlackHole();
    closers.push(hole.close);
    const client = new PortalClient({ portalUrl: hole.url, timeoutMs: 60_000 });
    const home = await tempDir();
    const outbox = new Outbox({
      home,
      deviceId: randomUUID(),
      licenseKey: 'LIC-0001-ABCD',
      client,
    });
    const reporter = new JobReporter(outbox, silent);
    const connected = hole.nextConnection();
    for (let i = 0; i < 5; i++) {
      reporter.emit('download-retrying', eventFields('download-retrying', { attempt: i }));
    }
    await connected;
    expect(await reporter.settle(100)).toEqual({ pending: 5 });
  });
});
