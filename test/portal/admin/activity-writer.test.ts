import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActivityWriter } from '../../../electron/portal/admin/activity-file.ts';
import { emptyDevice } from '../../../electron/portal/device-record.ts';
import { sampleOrg } from '../portal-fixtures.ts';
import { checkIn, postEvents, useAdminPortals } from './admin-fixtures.ts';

const { tempDir, startWith } = useAdminPortals();
const ENG = 'ACME-ENG-0002';

// A writer whose writes are counted and kept, and finish when the test says so.
function countingWriter(intervalMs: number) {
  const written: unknown[] = [];
  let version = 0;
  const writer = new ActivityWriter({
    file: 'unused.json',
    snapshot: () => ({ devices: [emptyDevice(`v${version}`)], events: [] }),
    onError: () => undefined,
    intervalMs,
    write: async (_file, value) => {
      written.push(value);
    },
  });
  return { writer, written, change: () => ((version += 1), writer.schedule()) };
}

describe('saving devices and events behind the requests', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes a burst of changes within one interval once, with the newest state', async () => {
    const { writer, written, change } = countingWriter(60_000);
    change();
    await writer.flush();
    for (let i = 0; i < 1_000; i += 1) change();
    expect(writer.writes).toBe(1);
    await writer.flush();
    expect(writer.writes).toBe(2);
    expect(written.at(-1)).toMatchObject({ format: 1, devices: [{ id: 'v1001' }] });
  });

  it('writes nothing when nothing changed, and flush returns at once', async () => {
    const { writer } = countingWriter(10);
    await writer.flush();
    expect(writer.writes).toBe(0);
  });

  it('writes again after the interval when changes came in meanwhile', async () => {
    vi.useFakeTimers();
    const { writer, written, change } = countingWriter(1_000);
    change();
    change();
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.writes).toBe(1);
    change();
    await vi.advanceTimersByTimeAsync(999);
    expect(writer.writes).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(writer.writes).toBe(2);
    expect(written.at(-1)).toMatchObject({ devices: [{ id: 'v3' }] });
  });

  it('refuses an interval that is not a number of milliseconds', () => {
    const options = { file: 'f', snapshot: () => ({ devices: [], events: [] }), onError: () => {} };
    expect(() => new ActivityWriter({ ...options, intervalMs: -1 })).toThrow(/intervalMs/);
    expect(() => new ActivityWriter({ ...options, intervalMs: NaN })).toThrow(/intervalMs/);
  });

  it('saves hundreds of event batches in a few writes, and loses none across a close', async () => {
    const dataDir = await tempDir();
    const first = await startWith({ dataDir, org: sampleOrg(), persist: true });
    const devices = Array.from({ length: 20 }, () => randomUUID());
    for (const deviceId of devices) await checkIn(first, ENG, deviceId);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        postEvents(first.url, devices[i % devices.length]!, ENG, 2, i * 2),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 202));
    await first.close();
    const writes = first.persistence!.activityWrites();
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThan(10);

    const saved = JSON.parse(await readFile(join(dataDir, 'portal-state.json'), 'utf8'));
    expect(saved.events).toHaveLength(400);
    const second = await startWith({ dataDir, org: sampleOrg(), persist: true });
    const transferred = second.state
      .events()
      .map((event) => Number((event as { transferred?: number }).transferred));
    expect(new Set(transferred)).toEqual(new Set(Array.from({ length: 400 }, (_, i) => i)));
    expect(second.state.devices()).toHaveLength(20);
  });
});
