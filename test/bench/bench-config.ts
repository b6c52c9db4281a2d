import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { parseSize } from '../../electron/archive/make-image.ts';

/** What one `npm run bench` measures, from its environment variables. */
export interface BenchConfig {
  /** Image sizes in bytes of disk data, smallest first. */
  readonly sizes: readonly number[];
  /** Interleaved rounds per size. */
  readonly rounds: number;
}

const GIB = 2 ** 30;

/** Reads BENCH_SIZE (default 1GiB), BENCH_ROUNDS (default 3) and BENCH_BOTH (1 GiB and 4 GiB). */
export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const rounds = Number(env.BENCH_ROUNDS ?? 3);
  if (!Number.isInteger(rounds) || rounds < 3) {
    throw new TypeError(
      `BENCH_ROUNDS must be a whole number of at least 3, not "${env.BENCH_ROUNDS}"`,
    );
  }
  if (env.BENCH_BOTH === '1' && env.BENCH_SIZE !== undefined) {
    throw new TypeError('BENCH_BOTH=1 runs 1GiB and 4GiB; leave BENCH_SIZE unset with it');
  }
  const sizes = env.BENCH_BOTH === '1' ? [GIB, 4 * GIB] : [parseSize(env.BENCH_SIZE ?? '1GiB')];
  return { sizes, rounds };
}

/** A size as people read it: `1 GiB`, `256 MiB`. */
export function sizeLabel(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(2)} ${units[unit]}`;
}

/** The lines about this machine printed above the table. */
export function machineFacts(config: BenchConfig): string[] {
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
  return [
    `CPU: ${model ?? cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, ` +
      `${(totalmem() / GIB).toFixed(0)} GiB RAM, Linux ${release()}, Node ${process.version}`,
    `Tools: ${toolVersions().join(', ')}`,
    // Other work on the machine skews every row; the reader should see it was there.
    `Load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}${loadavg()[0]! > 0.5 ? ' (the machine was busy: expect noise)' : ''}`,
    `Sizes: ${config.sizes.map(sizeLabel).join(' and ')} of disk data; ${config.rounds} interleaved rounds each, median (min..max)`,
  ];
}

/** The first line a tool prints about its version, or undefined when it is not installed. */
export function toolVersion(command: string, args: readonly string[]): string | undefined {
  // Some tools print it on stderr (nginx) or exit non-zero after printing it (wrk).
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 5_000 });
  if (run.error) return undefined;
  return `${run.stdout}${run.stderr}`.split('\n')[0]!.trim();
}

function toolVersions(): string[] {
  const words = (command: string, args: string[], take: number, from = 0) =>
    toolVersion(command, args)
      ?.split(' ')
      .slice(from, from + take)
      .join(' ') ?? `${command}: not installed`;
  return [
    words('curl', ['--version'], 2),
    words('openssl', ['version'], 2),
    words('nginx', ['-v'], 1, 2),
    words('wrk', ['--version'], 2),
  ];
}
