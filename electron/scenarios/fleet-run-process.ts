import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FleetResult } from '../fleet/fleet-tally.ts';
import type { AgentExit, AgentRunOptions } from './agent-run-process.ts';

// Up to the project folder first, as agent-run-process.ts does: this also runs bundled in dist/node.
const PROVISIM_BIN = fileURLToPath(new URL('../../electron/cli/provisim.js', import.meta.url));

/** How to start one `provisim fleet` for a scenario: the agent's settings, for every Mac. */
export interface FleetRunOptions extends Omit<AgentRunOptions, 'answer' | 'force'> {
  readonly macs: number;
  readonly acceptRate: number;
  readonly seed: number;
  readonly disk: 'full' | 'none';
}

/** One `provisim fleet --json` process; its result is the last `fleet-result` line. */
export class FleetRunProcess {
  result: FleetResult | undefined = undefined;
  readonly exited: Promise<AgentExit>;
  readonly #kill: (signal: NodeJS.Signals) => void;

  constructor(options: FleetRunOptions) {
    const child = spawn(process.execPath, [PROVISIM_BIN, ...fleetArguments(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PROVISIM_HOME: undefined, NO_COLOR: '1' },
    });
    this.#kill = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const trace = createWriteStream(options.tracePath, { flags: 'a' });
    child.stderr.pipe(createWriteStream(options.logPath, { flags: 'a' }));
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (text) => {
      trace.write(`${text}\n`);
      const line = parseLine(text);
      if (line?.type === 'fleet-result') this.result = line as unknown as FleetResult;
    });
    const closed = new Promise<void>((resolve) => lines.once('close', resolve));
    this.exited = new Promise<AgentExit>((resolve) => {
      child.once('close', (code, signal) => resolve({ code, signal }));
    }).then(async (exit) => {
      await closed;
      await new Promise<void>((resolve) => trace.end(resolve));
      return exit;
    });
  }

  /** Sends a signal to the fleet, if it is still running. */
  signal(signal: NodeJS.Signals): void {
    this.#kill(signal);
  }
}

function parseLine(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function fleetArguments(options: FleetRunOptions): string[] {
  const args = ['fleet', '--json', '--macs', String(options.macs), '--seed', String(options.seed)];
  args.push('--portal', options.portalUrl, '--license', options.licenseKey);
  args.push('--home', options.home, '--arch-mix', `${options.arch}=1`);
  args.push('--accept-rate', String(options.acceptRate), '--disk', options.disk);
  if (options.caFile) args.push('--ca-file', options.caFile);
  if (options.stallTimeoutMs) args.push('--stall-timeout', String(options.stallTimeoutMs));
  if (options.retries) args.push('--retries', String(options.retries));
  if (options.retryDelayMs) args.push('--retry-delay', String(options.retryDelayMs));
  return args;
}
