import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportStore, type ReportLimits } from '../../../electron/portal/reports/report-store.ts';
import { REPORT_MAX_BYTES } from '../../../shared/protocol.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { reportId } from './report-fixtures.ts';

const tempDir = useTempDirs();
const LIMITS: ReportLimits = { perDevice: 20, total: 2_000, totalBytes: REPORT_MAX_BYTES };

// Writes a part file of `size` bytes and keeps it as report `n` of `deviceId`.
async function keep(store: ReportStore, deviceId: string, n: number, size = 10, at?: Date) {
  await store.prepare();
  const temp = join(store.incomingDir, `${randomUUID()}.part`);
  await writeFile(temp, Buffer.alloc(size, n));
  return store.keep(deviceId, reportId(n), temp, size, at);
}

describe('ReportStore', () => {
  it('drops the oldest reports of all Macs once their bytes pass the budget', async () => {
    const dir = await tempDir();
    const store = await ReportStore.open(dir, LIMITS);
    const sixMiB = 6 * 1024 * 1024;
    for (const n of [1, 2, 3]) await keep(store, randomUUID(), n, sixMiB);
    expect(store.list().map((report) => report.id)).toEqual([reportId(3), reportId(2)]);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tar.gz'))).toHaveLength(2);
  });

  it("drops a flooding Mac's own reports first, not another Mac's older one", async () => {
    const dir = await tempDir();
    const store = await ReportStore.open(dir, LIMITS);
    const quiet = randomUUID();
    const flooding = randomUUID();
    await keep(store, quiet, 1);
    for (const n of [2, 3, 4]) await keep(store, flooding, n, 6 * 1024 * 1024);
    expect(store.list().map((report) => report.id)).toEqual([4, 3, 1].map(reportId));
  });

  it('drops the oldest reports of all Macs past the total count', async () => {
    const dir = await tempDir();
    const store = await ReportStore.open(dir, { ...LIMITS, total: 3 });
    for (const n of [1, 2, 3, 4]) await keep(store, randomUUID(), n);
    expect(store.list().map((report) => report.id)).toEqual([4, 3, 2].map(reportId));
    expect(store.list().some((report) => report.id === reportId(1))).toBe(false);
  });

  it('takes its bundles back after a restart, in order, with the same receipts', async () => {
    const dir = await tempDir();
    const deviceId = randomUUID();
    const first = await ReportStore.open(dir, LIMITS);
    await keep(first, deviceId, 2, 10, new Date('2025-03-01T10:00:02.000Z'));
    await keep(first, deviceId, 1, 10, new Date('2025-03-01T10:00:01.000Z'));
    await keep(first, deviceId, 3, 10, new Date('2025-03-01T10:00:03.000Z'));
    const before = first.list();
    // A cut-off upload and a file that is no report.
    await writeFile(join(first.incomingDir, 'left-over.part'), 'half');
    await writeFile(join(dir, 'notes.txt'), 'not a report');

    const again = await ReportStore.open(dir, { ...LIMITS, perDevice: 2 });
    expect(again.list().map((report) => report.receivedAt)).toEqual([
      '2025-03-01T10:00:03.000Z',
      '2025-03-01T10:00:02.000Z',
    ]);
    expect(again.list()).toEqual(before.filter((report) => report.id !== reportId(1)));
    expect((await readdir(dir)).sort()).toEqual(
      ['notes.txt', ...[2, 3].map((n) => `${deviceId}_${reportId(n)}.tar.gz`)].sort(),
    );
  });

  it("keeps two Macs' reports of one ID apart, across a restart too", async () => {
    const dir = await tempDir();
    const [first, second] = [randomUUID(), randomUUID()];
    const store = await ReportStore.open(dir, LIMITS);
    expect((await keep(store, first, 1, 10)).kind).toBe('stored');
    expect((await keep(store, second, 1, 20)).kind).toBe('stored');
    expect((await keep(store, first, 1, 30)).kind).toBe('repeat');
    const again = await ReportStore.open(dir, LIMITS);
    for (const open of [store, again]) {
      expect(open.find(first, reportId(1))?.sizeBytes).toBe(10);
      expect(open.find(second, reportId(1))?.sizeBytes).toBe(20);
      expect(open.find(randomUUID(), reportId(1))).toBeUndefined();
    }
  });

  it('makes no folder until the first upload, and reads a missing one as empty', async () => {
    const dir = join(await tempDir(), 'reports');
    const store = await ReportStore.open(dir, LIMITS);
    expect(store.list()).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses limits that are not whole numbers or cannot hold one report', async () => {
    const dir = await tempDir();
    await expect(ReportStore.open(dir, { ...LIMITS, perDevice: 0 })).rejects.toThrow(/perDevice/);
    await expect(ReportStore.open(dir, { ...LIMITS, total: 1.5 })).rejects.toThrow(/total/);
    await expect(ReportStore.open(dir, { ...LIMITS, totalBytes: 1024 })).rejects.toThrow(
      /totalBytes/,
    );
  });
});
