import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One run of a path: wall seconds, and the peak RSS in KiB where it is measured. */
export interface Sample {
  readonly seconds: number;
  readonly rssKiB?: number;
}

/** Median, smallest and largest of some samples. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Flushes dirty pages so the next path does not pay for the last one's writes. */
export async function settle(): Promise<void> {
  await run('sync');
}

/** Runs a `sh -c` script with positional arguments; resolves with its stdout and wall seconds. */
export async function timedShell(
  script: string,
  args: readonly string[],
): Promise<{ stdout: string; seconds: number }> {
  const started = performance.now();
  const { stdout } = await run('sh', ['-c', script, 'sh', ...args], { maxBuffer: 1 << 20 });
  return { stdout, seconds: (performance.now() - started) / 1000 };
}

/** Median (mean of the middle two for an even count), min and max. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new TypeError('spread needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = Number.isInteger(mid)
    ? (sorted[mid - 1]! + sorted[mid]!) / 2
    : sorted[Math.floor(mid)]!;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}
