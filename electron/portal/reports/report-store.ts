import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { REPORT_MAX_BYTES, type ReportReceipt } from '../../../shared/protocol.ts';

/** How many problem reports the portal keeps; past any limit the oldest go first. */
export interface ReportLimits {
  /** Reports kept per device. */
  readonly perDevice: number;
  /** Reports kept in all. */
  readonly total: number;
  /** Bytes of all kept reports together; at least `REPORT_MAX_BYTES`. */
  readonly totalBytes: number;
}

/** 20 per Mac, 2,000 and 1 GiB in all: a hostile agent holds at most 20 × 16 MiB. */
export const DEFAULT_REPORT_LIMITS: ReportLimits = {
  perDevice: 20,
  total: 2_000,
  totalBytes: 1024 * 1024 * 1024,
};

/** A report the portal keeps: its receipt, its device and its file. */
export interface KeptReport extends ReportReceipt {
  readonly deviceId: string;
  readonly file: string;
}

/** What became of a received bundle: kept now, or kept before (the first receipt stands). */
export interface KeepOutcome {
  readonly kind: 'stored' | 'repeat';
  readonly report: KeptReport;
}

// Both parts are checked before they are used, so a file name is never made from raw input.
const FILE_NAME = /^([0-9a-fA-F-]{36})_(PR-[0-9]{8}-[0-9A-F]{8})\.tar\.gz$/;

/** The problem report bundles in one folder, `<deviceId>_<reportId>.tar.gz`, oldest first. */
export class ReportStore {
  readonly #dir: string;
  readonly #limits: ReportLimits;
  // By device and report id, in the order received: the first entry is the oldest. An id is one
  // Mac's own, so no Mac can take, or learn anything from, an id another Mac uses.
  readonly #reports = new Map<string, KeptReport>();
  #bytes = 0;

  private constructor(dir: string, limits: ReportLimits) {
    this.#dir = dir;
    this.#limits = limits;
  }

  /**
   * Takes back the bundles in the folder, if it exists, and drops what the limits exceed. The
   * folder itself is made by the first upload.
   */
  static async open(
    dir: string,
    limits: ReportLimits = DEFAULT_REPORT_LIMITS,
  ): Promise<ReportStore> {
    checkLimits(limits);
    const store = new ReportStore(dir, limits);
    // Parts of uploads that a crash or a close cut short.
    await rm(store.incomingDir, { recursive: true, force: true });
    const found: KeptReport[] = [];
    for (const name of await readdir(dir).catch(missingIsEmpty)) {
      const match = FILE_NAME.exec(name);
      const file = join(dir, name);
      const info = match && (await stat(file));
      if (!match || !info?.isFile()) continue;
      const receivedAt = info.mtime.toISOString();
      found.push({ id: match[2]!, deviceId: match[1]!, receivedAt, sizeBytes: info.size, file });
    }
    found.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    for (const report of found) store.#add(report);
    await store.#dropOverLimits();
    return store;
  }

  /** Where uploads are written before they are kept: inside the folder, so renames are atomic. */
  get incomingDir(): string {
    return join(this.#dir, 'incoming');
  }

  /** Makes the folder and its incoming folder (owner-only) if they are not there yet. */
  async prepare(): Promise<void> {
    await mkdir(this.incomingDir, { recursive: true, mode: 0o700 });
  }

  /** The kept reports, newest first; only one device's with `deviceId`. */
  list(deviceId?: string): KeptReport[] {
    const all = [...this.#reports.values()].reverse();
    return deviceId === undefined ? all : all.filter((report) => report.deviceId === deviceId);
  }

  /** The kept report `id` of `deviceId`, if any. */
  find(deviceId: string, id: string): KeptReport | undefined {
    return this.#reports.get(keyOf(deviceId, id));
  }

  /**
   * Keeps the bundle written to `temp` as report `id` of `deviceId`, then drops the oldest past
   * the limits. An id the device sent before keeps its first bundle. `temp` is gone afterwards in
   * every case.
   */
  async keep(
    deviceId: string,
    id: string,
    temp: string,
    sizeBytes: number,
    now = new Date(),
  ): Promise<KeepOutcome> {
    const key = keyOf(deviceId, id);
    const known = this.#reports.get(key);
    if (known) {
      await rm(temp, { force: true });
      return { kind: 'repeat', report: known };
    }
    const file = join(this.#dir, `${deviceId}_${id}.tar.gz`);
    const report: KeptReport = { id, deviceId, receivedAt: now.toISOString(), sizeBytes, file };
    // Listed before the awaits, so that an upload of the same id meanwhile counts as a repeat.
    this.#add(report);
    try {
      // The file's time is its receipt's: a restarted portal answers a repeat with the same one.
      await utimes(temp, now, now);
      await rename(temp, file);
    } catch (error) {
      this.#remove(report);
      await rm(temp, { force: true });
      throw error;
    }
    // Another upload may have pushed this one out while it was being moved in.
    if (this.#reports.get(key) !== report) await rm(file, { force: true });
    await this.#dropOverLimits();
    return { kind: 'stored', report };
  }

  #add(report: KeptReport): void {
    this.#reports.set(keyOf(report.deviceId, report.id), report);
    this.#bytes += report.sizeBytes;
  }

  // Insertion order is age order: the first report met of the heaviest Mac is its oldest.
  #oldestOfHeaviest(): KeptReport {
    const bytes = new Map<string, number>();
    for (const report of this.#reports.values()) {
      bytes.set(report.deviceId, (bytes.get(report.deviceId) ?? 0) + report.sizeBytes);
    }
    const most = Math.max(...bytes.values());
    return [...this.#reports.values()].find((report) => bytes.get(report.deviceId) === most)!;
  }

  #remove(report: KeptReport): void {
    this.#reports.delete(keyOf(report.deviceId, report.id));
    this.#bytes -= report.sizeBytes;
  }

  // Per device first (its newest stay); then, until both totals fit, the oldest report of the Mac
  // holding the most bytes, so a Mac that floods the portal pushes out its own reports first.
  async #dropOverLimits(): Promise<void> {
    const dropped: KeptReport[] = [];
    const seen = new Map<string, number>();
    for (const report of this.list()) {
      const count = (seen.get(report.deviceId) ?? 0) + 1;
      seen.set(report.deviceId, count);
      if (count > this.#limits.perDevice) dropped.push(report);
    }
    for (const report of dropped) this.#remove(report);
    while (this.#reports.size > this.#limits.total || this.#bytes > this.#limits.totalBytes) {
      const report = this.#oldestOfHeaviest();
      this.#remove(report);
      dropped.push(report);
    }
    await Promise.all(dropped.map((report) => rm(report.file, { force: true })));
  }
}

// A device id is a UUID and a report id has no "/": the pair cannot be read two ways.
function keyOf(deviceId: string, id: string): string {
  return `${deviceId}/${id}`;
}

function missingIsEmpty(error: unknown): string[] {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
  throw error;
}

function checkLimits(limits: ReportLimits): void {
  for (const name of ['perDevice', 'total', 'totalBytes'] as const) {
    const value = limits[name];
    if (!Number.isInteger(value) || value < 1) {
      throw new TypeError(`reportLimits.${name} must be a whole number of at least 1 (${value})`);
    }
  }
  if (limits.totalBytes < REPORT_MAX_BYTES) {
    throw new TypeError(
      `reportLimits.totalBytes must hold one report of the largest size, ${REPORT_MAX_BYTES} bytes (${limits.totalBytes})`,
    );
  }
}
