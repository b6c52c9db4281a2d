import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { agentVersion } from '../../electron/agent/identity.ts';
import type { Arch } from '../../shared/protocol.ts';
import { agentEnv } from './agent-run.ts';
import type { BenchImage } from './bench-image.ts';
import { runOnce } from './bench-rounds.ts';
import type { TableRow } from './bench-table.ts';
import { spread } from './measure.ts';
import type { ProvisimCommand } from './provisim-bin.ts';

const run = promisify(execFile);
const TIME = '/usr/bin/time';
const MIB = 2 ** 20;
// A Mac checking in every 50 ms beside the fleet: what one more Mac waits while they download.
const PROBE_EVERY_MS = 50;

/** What the fleet-at-scale rows measure: N Macs with --disk none on one image hosted by the portal. */
export interface FleetScaleSetup {
  readonly provisim: ProvisimCommand;
  readonly portalUrl: string;
  /** A key whose golden image the portal itself serves. */
  readonly licenseKey: string;
  readonly arch: Arch;
  readonly macs: number;
  readonly image: BenchImage;
  readonly imageLabel: string;
  readonly rounds: number;
  readonly scratchDir: string;
}

interface ScaleRound {
  readonly seconds: number;
  readonly rssKiB: number;
  readonly registered: number;
  readonly checkInP99Ms: number;
  readonly curlBytesPerSec: number;
}

/** Rows for one `provisim fleet --disk none` against `curl -o` of the same image repeated for as long. */
export async function benchFleetScale(setup: FleetScaleSetup): Promise<TableRow[]> {
  const url = await imageUrl(setup);
  const rounds: ScaleRound[] = [];
  for (let round = 0; round < setup.rounds; round++) {
    const fleet = await runOnce(join(setup.scratchDir, 'scale'), (dir) => oneFleet(setup, dir));
    // The same time, one curl after another, each writing the file as `curl -o` does.
    const curl = await runOnce(join(setup.scratchDir, 'curl'), (dir) =>
      curlFor(url, fleet.seconds, dir),
    );
    rounds.push({ ...fleet, curlBytesPerSec: curl });
    process.stderr.write(
      `  fleet ${setup.macs} round ${round + 1}/${setup.rounds}: ${fleet.seconds.toFixed(1)} s, ` +
        `${((setup.macs * setup.image.archiveBytes) / fleet.seconds / MIB).toFixed(0)} MiB/s; ` +
        `curl ${(curl / MIB).toFixed(0)} MiB/s; check-in p99 ${fleet.checkInP99Ms.toFixed(1)} ms\n`,
    );
  }
  const size = `${setup.macs} x ${setup.imageLabel}`;
  const bytes = setup.macs * setup.image.archiveBytes;
  const rate = spread(rounds.map((r) => bytes / r.seconds / MIB));
  const curl = spread(rounds.map((r) => r.curlBytesPerSec / MIB));
  const ratio = spread(rounds.map((r) => bytes / r.seconds / r.curlBytesPerSec));
  const rss = spread(rounds.map((r) => r.rssKiB / 1024));
  const p99 = spread(rounds.map((r) => r.checkInP99Ms));
  const registered = Math.min(...rounds.map((r) => r.registered));
  const fixed = (
    s: { median: number; min: number; max: number },
    digits: number,
    unit: string,
  ) => ({
    median: `${s.median.toFixed(digits)}${unit}`,
    range: `${s.min.toFixed(digits)}..${s.max.toFixed(digits)}${unit}`,
  });
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return [
    {
      size,
      measure: 'provisim fleet --disk none: Macs verified and registered (simulated)',
      median: `${registered} of ${setup.macs}`,
      range: '',
      target: `all ${setup.macs}`,
      met: met(registered === setup.macs),
    },
    {
      size,
      measure: 'fleet aggregate throughput (process start to exit)',
      ...fixed(rate, 0, ' MiB/s'),
      target: '',
      met: '',
    },
    {
      size,
      measure: 'curl -o of the same image, repeated as long',
      ...fixed(curl, 0, ' MiB/s'),
      target: '',
      met: '',
    },
    {
      size,
      measure: 'fleet / curl throughput',
      ...fixed(ratio, 2, 'x'),
      target: '>= 0.8x',
      met: met(ratio.median >= 0.8),
    },
    {
      size,
      measure: 'provisim fleet peak RSS',
      ...fixed(rss, 0, ' MiB'),
      target: '<= 1024 MiB',
      met: met(rss.max <= 1024),
    },
    {
      size,
      measure: `portal check-in p99 during the run (one more Mac every ${PROBE_EVERY_MS} ms)`,
      ...fixed(p99, 1, ' ms'),
      target: '< 50 ms',
      met: met(p99.median < 50),
    },
  ];
}

async function oneFleet(setup: FleetScaleSetup, dir: string) {
  const args = ['fleet', '--portal', setup.portalUrl, '--license', setup.licenseKey];
  args.push('--macs', String(setup.macs), '--arch-mix', `${setup.arch}=1`, '--disk', 'none');
  args.push('--home', join(dir, 'home'), '--json');
  const rssFile = join(dir, 'rss');
  const argv = existsSync(TIME)
    ? [TIME, '-f', '%M', '-o', rssFile, ...setup.provisim.argv, ...args]
    : [...setup.provisim.argv, ...args];
  const probe = startProbe(setup);
  const started = performance.now();
  const { stdout } = await run(argv[0]!, argv.slice(1), { env: agentEnv(), maxBuffer: 256 << 20 });
  const seconds = (performance.now() - started) / 1000;
  const latencies = await probe.stop();
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    outcomes: Record<string, number>;
  };
  const rssKiB = existsSync(TIME)
    ? Number((await readFile(rssFile, 'utf8')).trim().split('\n').at(-1))
    : Number.NaN;
  return {
    seconds,
    rssKiB,
    registered: result.outcomes.registered ?? 0,
    checkInP99Ms: nearestRank(latencies, 0.99),
  };
}

function startProbe(setup: FleetScaleSetup) {
  const body = checkInBody(setup);
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const answer = await fetch(`${setup.portalUrl}/api/v1/checkin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await answer.arrayBuffer();
      if (!answer.ok) throw new Error(`the probe's check-in was answered ${answer.status}`);
      latencies.push(performance.now() - started);
      await delay(PROBE_EVERY_MS);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

async function curlFor(url: string, seconds: number, dir: string): Promise<number> {
  const out = join(dir, 'image.pvmp');
  let bytes = 0;
  const started = performance.now();
  let elapsed = 0;
  for (let count = 0; count < 3 || elapsed < seconds; count++) {
    const { stdout } = await run('curl', ['-sS', '-o', out, '-w', '%{size_download}', url]);
    bytes += Number(stdout);
    elapsed = (performance.now() - started) / 1000;
  }
  return bytes / elapsed;
}

async function imageUrl(setup: FleetScaleSetup): Promise<string> {
  const answer = await fetch(`${setup.portalUrl}/api/v1/checkin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: checkInBody(setup),
  });
  const { policy } = (await answer.json()) as { policy: { goldenImage?: { url: string } } };
  if (!policy.goldenImage) throw new Error('the bench key is offered no golden image');
  return policy.goldenImage.url;
}

let probeDevice: string | undefined;
function checkInBody(setup: FleetScaleSetup): string {
  probeDevice ??= randomUUID();
  return JSON.stringify({
    licenseKey: setup.licenseKey,
    deviceId: probeDevice,
    hostname: 'bench-probe.test',
    arch: setup.arch,
    agentVersion: agentVersion(),
  });
}

function nearestRank(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}
