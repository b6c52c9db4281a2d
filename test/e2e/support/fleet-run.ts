import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { makeImage } from '../../../electron/archive/make-image.ts';
import type { MacOutcome } from '../../../electron/fleet/fleet-mac.ts';
import type { FleetResult } from '../../../electron/fleet/fleet-tally.ts';
import { FAULTS_PATH } from '../../../electron/portal/faults/fault-routes.ts';
import type { RunningPortal } from '../../../electron/portal/server.ts';
import type { FaultSpecInput } from '../../../shared/faults.ts';
import { ADMIN_TOKEN, test as adminTest } from './admin-portal.ts';
import { PROJECT_ROOT } from './web-host.ts';

export { expect } from './admin-portal.ts';

const CLI = join(PROJECT_ROOT, 'electron', 'cli', 'provisim.js');
// Ctrl-C ends a fleet within a second (each Mac's state is kept); a fleet stuck longer is killed.
const STOP_GRACE_MS = 10_000;
// Each Mac's agent files are written with fsync on the CLI's one thread: on a disk, 200 Macs'
// writes queue behind each other and a 30 s fleet takes twice as long, more when other tests
// write too. In memory (Linux's tmpfs; 200 Macs take about 5 MB) it keeps the pace its options set.
const MEMORY_FOLDER = '/dev/shm';

/** How `provisim fleet` is started: every option a spec may want to choose. */
export interface FleetOptions {
  readonly portalUrl: string;
  readonly licenseKey: string;
  readonly macs: number;
  /** `--ramp`, like `20s`. */
  readonly ramp: string;
  /** `--bandwidth-per-mac`, like `96KiB`. */
  readonly bandwidthPerMac: string;
  readonly acceptRate: number;
  readonly seed: number;
  /** `--stall-timeout` in ms: how long a Mac waits for a byte before it retries. */
  readonly stallTimeoutMs?: number;
}

/** How a fleet process ended, with every NDJSON line it printed. */
export interface FleetEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly macs: readonly MacOutcome[];
  readonly result: FleetResult | undefined;
  readonly stderr: string;
}

/** A running `provisim fleet --json --disk none`. */
export interface FleetProcess {
  /** The `{"type":"mac"}` lines printed so far, in the order the Macs ended. */
  readonly macs: readonly MacOutcome[];
  /** The `{"type":"fleet-result"}` line, once printed: until then the fleet is running. */
  readonly result: FleetResult | undefined;
  /** Resolves when the process has exited and its output is read. */
  readonly ended: Promise<FleetEnd>;
}

/** The fixtures of a fleet spec: the admin portal's, plus a launcher of fleets stopped after the test. */
export interface FleetFixtures {
  readonly fleets: FleetLauncher;
}

/** Starts fleet processes and stops those still running after the test (passed or failed). */
export class FleetLauncher {
  /** The temporary folder the fleets' homes are made in. */
  readonly root: string;
  readonly #children = new Set<ChildProcessByStdio<null, Readable, Readable>>();
  #started = 0;

  constructor(root: string) {
    this.root = root;
  }

  /** A launcher whose fleets live in a new temporary folder, in memory where Linux has one. */
  static async create(): Promise<FleetLauncher> {
    const prefix = 'provisim-fleet-e2e-';
    const root = await mkdtemp(join(MEMORY_FOLDER, prefix)).catch(() =>
      mkdtemp(join(tmpdir(), prefix)),
    );
    return new FleetLauncher(root);
  }

  /** Spawns the shipped CLI (`electron/cli/provisim.js`, which runs the built bundle). */
  start(options: FleetOptions): FleetProcess {
    this.#started += 1;
    const home = join(this.root, `fleet-${this.#started}`);
    const args = [
      'fleet',
      ...['--portal', options.portalUrl, '--license', options.licenseKey],
      ...['--macs', String(options.macs), '--disk', 'none'],
      ...['--ramp', options.ramp, '--bandwidth-per-mac', options.bandwidthPerMac],
      ...['--accept-rate', String(options.acceptRate), '--seed', String(options.seed)],
      ...['--home', home, '--json'],
      ...(options.stallTimeoutMs ? ['--stall-timeout', String(options.stallTimeoutMs)] : []),
    ];
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.PROVISIM_HOME;
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#children.add(child);
    const macs: MacOutcome[] = [];
    let result: FleetResult | undefined;
    let pending = '';
    let stderr = '';
    const stray: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines.filter((l) => l.trim() !== '')) {
        const parsed = parseLine(line);
        if (parsed?.type === 'mac') macs.push(parsed);
        else if (parsed?.type === 'fleet-result') result = parsed;
        else stray.push(line);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ended = once(child, 'close').then(([code, signal]) => {
      this.#children.delete(child);
      if (stray.length > 0) stderr += `\nUnexpected stdout lines:\n${stray.join('\n')}`;
      return {
        code: code as number | null,
        signal: signal as NodeJS.Signals | null,
        macs,
        result,
        stderr,
      };
    });
    return {
      macs,
      get result() {
        return result;
      },
      ended,
    };
  }

  /** Stops every fleet still running, then removes their homes. */
  async close(): Promise<void> {
    await this.stopAll();
    await rm(this.root, { recursive: true, force: true });
  }

  /** Ctrl-C to every fleet still running, then SIGKILL to any that does not end in time. */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.#children].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const closed = once(child, 'close');
        child.kill('SIGINT');
        const watchdog = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await closed;
        clearTimeout(watchdog);
      }),
    );
  }
}

// A line of `--json` output; undefined for anything else, which the fleet's end then reports.
function parseLine(line: string): MacOutcome | FleetResult | undefined {
  try {
    return JSON.parse(line) as MacOutcome | FleetResult;
  } catch {
    return undefined;
  }
}

/** The admin portal spec's `test` (portal, workDir...) with a fleet launcher. */
export const test = adminTest.extend<FleetFixtures>({
  // The fleets end (and their homes go) before the portal closes.
  fleets: async ({ portal: _portal }, use) => {
    const launcher = await FleetLauncher.create();
    await use(launcher);
    await launcher.close();
  },
});

/** A golden image as the admin API answers it. */
export interface CreatedImage {
  readonly id: string;
  readonly name: string;
}

/**
 * Hosts a small Apple silicon image on `portal` and creates a golden image of it assigned to
 * `group`, through the admin API (the admin portal spec does the same in the form).
 */
export async function assignHostedImage(
  portal: RunningPortal,
  options: {
    readonly name: string;
    readonly group: string;
    readonly sizeBytes: number;
    /** The portal's images folder (`<data>/images`), served under `/images/`. */
    readonly imagesDir: string;
  },
): Promise<CreatedImage> {
  const packed = await makeImage({
    name: options.name,
    arch: 'arm64',
    sizeBytes: options.sizeBytes,
    outDir: options.imagesDir,
  });
  const checksum = (await readFile(packed.sha256Path, 'utf8')).trim();
  const url = `/images/${encodeURIComponent(basename(packed.archivePath))}`;
  const response = await fetch(`${portal.url}/api/v1/admin/golden-images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: options.name,
      images: { arm64: { enabled: true, url, checksum } },
      assignedTo: [options.group],
    }),
  });
  const body = (await response.json()) as { goldenImage?: CreatedImage };
  if (response.status !== 201 || !body.goldenImage) {
    throw new Error(`Creating the golden image: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.goldenImage;
}

/** A fault on `portal` through its fault API; resolves with its id. */
export async function addFault(portal: RunningPortal, spec: FaultSpecInput): Promise<string> {
  const response = await fetch(`${portal.url}${FAULTS_PATH}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) {
    throw new Error(`Adding the fault: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.id;
}

/** Removes a fault from `portal`; a stall it held lets its bodies go on. */
export async function removeFault(portal: RunningPortal, id: string): Promise<void> {
  const response = await fetch(`${portal.url}${FAULTS_PATH}/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  if (response.status !== 204) throw new Error(`Removing fault ${id}: ${response.status}`);
}

/** How many of the Macs' lines have each outcome, and how many declines made an assistant VM. */
export function tallyMacs(macs: readonly MacOutcome[]) {
  const count = (keep: (mac: MacOutcome) => boolean): number => macs.filter(keep).length;
  return {
    registered: count((m) => m.outcome === 'registered'),
    declined: count((m) => m.outcome === 'declined'),
    assistantVms: count((m) => m.outcome === 'declined' && m.assistant === 'created'),
    failed: count((m) => m.outcome === 'failed'),
  };
}
