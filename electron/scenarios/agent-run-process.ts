import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../shared/run-result.ts';
import { LineWaiters } from './line-waiters.ts';
import { RunLineTally } from './run-line-tally.ts';

// Up to the project folder first: this module also runs bundled in dist/node/provisim.mjs, where
// '../cli' would name dist/cli. The bin runs the built CLI.
const PROVISIM_BIN = fileURLToPath(new URL('../../electron/cli/provisim.js', import.meta.url));

/** How to start one `provisim run` for a scenario. */
export interface AgentRunOptions {
  readonly portalUrl: string;
  readonly licenseKey: string;
  readonly home: string;
  readonly arch: string;
  readonly answer: 'accept' | 'decline';
  readonly force?: boolean;
  readonly caFile?: string;
  readonly stallTimeoutMs?: number;
  readonly retries?: number;
  readonly retryDelayMs?: number;
  /** Every NDJSON line the agent prints is appended here. */
  readonly tracePath: string;
  /** The agent's stderr is appended here. */
  readonly logPath: string;
}

/** How an agent process ended. */
export interface AgentExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One `provisim run --json` process, watched line by line. */
export class AgentRunProcess {
  /** Event types in the order the agent printed them. */
  readonly events: string[] = [];
  result: RunResult | undefined = undefined;
  readonly exited: Promise<AgentExit>;
  readonly #child: ChildProcessByStdio<null, Readable, Readable>;
  readonly #trace: WriteStream;
  readonly #waiters = new LineWaiters();
  readonly #tally = new RunLineTally();

  constructor(options: AgentRunOptions) {
    this.#child = spawn(process.execPath, [PROVISIM_BIN, ...runArguments(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PROVISIM_HOME: undefined, NO_COLOR: '1' },
    });
    this.#trace = createWriteStream(options.tracePath, { flags: 'a' });
    const log = createWriteStream(options.logPath, { flags: 'a' });
    this.#child.stderr.pipe(log);
    const lines = createInterface({ input: this.#child.stdout, crlfDelay: Infinity });
    lines.on('line', (text) => this.#take(text));
    const closed = new Promise<void>((resolve) => lines.once('close', resolve));
    this.exited = new Promise<AgentExit>((resolve) => {
      this.#child.once('close', (code, signal) => resolve({ code, signal }));
    }).then(async (exit) => {
      await closed;
      this.#waiters.finish();
      await new Promise<void>((resolve) => this.#trace.end(resolve));
      return exit;
    });
  }

  /** Resolves once `ready()` holds, rejecting with `reason` if the process ends first. */
  until(ready: () => boolean, reason: string): Promise<void> {
    return this.#waiters.until(ready, reason);
  }

  /** Bytes of image data the agent received, over every attempt of this process. */
  get bytesReceived(): number {
    return this.#tally.bytesReceived;
  }

  /** Bytes of the image file the agent holds, as its last progress line said. */
  get transferred(): number {
    return this.#tally.transferred;
  }

  /** Sends a signal to the agent, if it is still running. */
  signal(signal: NodeJS.Signals): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill(signal);
  }

  #take(text: string): void {
    this.#trace.write(`${text}\n`);
    const line = this.#tally.take(text);
    if (!line) return;
    if (line.type === 'result') this.result = line as unknown as RunResult;
    else if (typeof line.type === 'string' && line.type !== 'progress') this.events.push(line.type);
    this.#waiters.notify();
  }
}

function runArguments(options: AgentRunOptions): string[] {
  const args = ['run', '--json', '--progress-lines', `--${options.answer}`];
  args.push('--portal', options.portalUrl, '--license', options.licenseKey);
  args.push('--home', options.home, '--arch', options.arch);
  if (options.force) args.push('--force');
  if (options.caFile) args.push('--ca-file', options.caFile);
  if (options.stallTimeoutMs) args.push('--stall-timeout', String(options.stallTimeoutMs));
  if (options.retries) args.push('--retries', String(options.retries));
  if (options.retryDelayMs) args.push('--retry-delay', String(options.retryDelayMs));
  return args;
}
