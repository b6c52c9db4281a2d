import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { validateVmBundle } from '../../electron/archive/vm-bundle.ts';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { Arch } from '../../shared/protocol.ts';
import { agentEnv, ensureBuilt, runArguments, type AgentTarget } from './agent-run.ts';
import type { TableRow } from './bench-table.ts';
import { spread, type Sample } from './measure.ts';
import { runOnce } from './bench-rounds.ts';
import type { ProvisimCommand } from './provisim-bin.ts';

const TIME = '/usr/bin/time';
const run = promisify(execFile);

/** What the fleet rows compare: one `provisim fleet` process against as many `provisim run`s at once. */
export interface FleetBenchSetup {
  readonly provisim: ProvisimCommand;
  readonly target: AgentTarget;
  readonly arch: Arch;
  readonly macs: number;
  readonly imageLabel: string;
  readonly rounds: number;
  readonly scratchDir: string;
}

/** Rows for N Macs in one process against N agent processes at once: wall time and memory. */
export async function benchFleet(setup: FleetBenchSetup): Promise<TableRow[]> {
  await ensureBuilt(setup.provisim);
  const fleet: Sample[] = [];
  const processes: Sample[] = [];
  for (let round = 0; round < setup.rounds; round++) {
    fleet.push(await runOnce(join(setup.scratchDir, 'fleet'), (dir) => oneFleet(setup, dir)));
    processes.push(await runOnce(join(setup.scratchDir, 'runs'), (dir) => manyRuns(setup, dir)));
    const [a, b] = [fleet.at(-1)!, processes.at(-1)!];
    process.stderr.write(
      `  fleet round ${round + 1}/${setup.rounds}: one process ${a.seconds.toFixed(2)} s, ${setup.macs} processes ${b.seconds.toFixed(2)} s\n`,
    );
  }
  const size = `${setup.macs} x ${setup.imageLabel}`;
  const seconds = (samples: Sample[]) => spread(samples.map((s) => s.seconds));
  const mib = (samples: Sample[]) => spread(samples.map((s) => (s.rssKiB ?? 0) / 1024));
  const ratio = spread(fleet.map((f, i) => f.seconds / processes[i]!.seconds));
  const row = (measure: string, s: ReturnType<typeof spread>, unit: string): TableRow => ({
    size,
    measure,
    median: `${s.median.toFixed(unit === 'x' ? 2 : 1)}${unit === 'x' ? 'x' : ` ${unit}`}`,
    range: `${s.min.toFixed(1)}..${s.max.toFixed(1)}${unit === 'x' ? 'x' : ` ${unit}`}`,
    target: '',
    met: '',
  });
  return [
    row(
      'provisim fleet, one process, check-in to all registered, each VM valid',
      seconds(fleet),
      's',
    ),
    row(`${setup.macs} provisim run processes at once`, seconds(processes), 's'),
    row('one fleet process / processes at once, time', ratio, 'x'),
    row('provisim fleet peak RSS (the one process)', mib(fleet), 'MiB'),
    row(`${setup.macs} provisim run processes: sum of their peak RSS`, mib(processes), 'MiB'),
  ];
}

async function oneFleet(setup: FleetBenchSetup, dir: string): Promise<Sample> {
  const { portalUrl, licenseKey } = setup.target;
  const args = ['fleet', '--portal', portalUrl, '--license', licenseKey];
  args.push('--macs', String(setup.macs), '--arch-mix', `${setup.arch}=1`);
  args.push('--home', join(dir, 'home'), '--json');
  const { seconds, rssKiB, stdout } = await timed(setup.provisim, args, join(dir, 'rss'));
  if (!stdout.includes(`"registered":${setup.macs}`)) {
    throw new Error(`the fleet did not register every Mac: ${stdout.trim().split('\n').at(-1)}`);
  }
  await assertEveryVmValid(join(dir, 'home', 'fleet'), setup);
  return { seconds, rssKiB };
}

async function manyRuns(setup: FleetBenchSetup, dir: string): Promise<Sample> {
  const started = performance.now();
  const runs = await Promise.all(
    Array.from({ length: setup.macs }, (_, i) =>
      timed(
        setup.provisim,
        runArguments(setup.target, join(dir, `home-${i}`)),
        join(dir, `rss-${i}`),
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  if (!runs.every((r) => r.stdout.includes('"outcome":"registered"'))) {
    throw new Error('a provisim run did not register');
  }
  return { seconds, rssKiB: runs.reduce((sum, r) => sum + (r.rssKiB ?? 0), 0) };
}

// Each Mac's one registered VM is on disk and passes the checks a registration makes.
async function assertEveryVmValid(fleetDir: string, setup: FleetBenchSetup): Promise<void> {
  const homes = await readdir(fleetDir);
  if (homes.length !== setup.macs) throw new Error(`${homes.length} Mac homes, not ${setup.macs}`);
  for (const home of homes) {
    const store = JSON.parse(await readFile(join(fleetDir, home, 'agent.json'), 'utf8')) as {
      vms?: { path: string }[];
    };
    if (store.vms?.length !== 1) throw new Error(`${home} has ${store.vms?.length ?? 0} VMs`);
    await validateVmBundle(store.vms[0]!.path, setup.arch);
  }
}

// %M: the peak RSS of the process from wait4, in KiB; not an in-process measure.
async function timed(provisim: ProvisimCommand, args: string[], rssFile: string) {
  const withTime = existsSync(TIME);
  const argv = withTime
    ? [TIME, '-f', '%M', '-o', rssFile, ...provisim.argv, ...args]
    : [...provisim.argv, ...args];
  const started = performance.now();
  const { stdout } = await run(argv[0]!, argv.slice(1), { env: agentEnv(), maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  const rssKiB = withTime
    ? Number((await readFile(rssFile, 'utf8')).trim().split('\n').at(-1))
    : undefined;
  return { seconds, rssKiB, stdout };
}
