import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { agentEnv, runArguments, type AgentTarget } from './agent-run.ts';
import type { ProvisimCommand } from './provisim-bin.ts';
import { LineWaiters } from '../../electron/scenarios/line-waiters.ts';
import { RunLineTally, type RunLine } from '../../electron/scenarios/run-line-tally.ts';

type Line = RunLine;

/** One `provisim run --json --progress-lines` process, read line by line. */
export class AgentWatch {
  /** Every event line, in order (progress lines excluded). */
  readonly events: Line[] = [];
  result: Line | undefined = undefined;
  readonly exited: Promise<void>;
  readonly #kill: (signal: NodeJS.Signals) => void;
  readonly #waiters = new LineWaiters();
  readonly #tally = new RunLineTally();

  constructor(provisim: ProvisimCommand, target: AgentTarget, home: string) {
    const [command, ...first] = provisim.argv;
    const args = [...first, ...runArguments(target, home), '--progress-lines'];
    const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'inherit'], env: agentEnv() });
    this.#kill = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (text) => this.#take(text));
    const closed = new Promise<void>((resolve) => lines.once('close', resolve));
    this.exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
      .then(() => closed)
      .then(() => this.#waiters.finish());
  }

  /** Resolves once `ready()` holds; rejects with `reason` if the process ends first. */
  until(ready: () => boolean, reason: string): Promise<void> {
    return this.#waiters.until(ready, reason);
  }

  /** The first event line of this type, if the agent printed one. */
  event(type: string): Line | undefined {
    return this.events.find((line) => line.type === type);
  }

  /** Kills the agent as a crash would, and waits until it is gone. */
  async kill(): Promise<void> {
    this.#kill('SIGKILL');
    await this.exited;
  }

  /** Image bytes received over every attempt of this process. */
  get bytesReceived(): number {
    return this.#tally.bytesReceived;
  }

  /** Bytes of the image the agent holds, as its last progress line said. */
  get transferred(): number {
    return this.#tally.transferred;
  }

  #take(text: string): void {
    const line = this.#tally.take(text);
    if (!line) return;
    if (line.type === 'result') this.result = line;
    else if (typeof line.type === 'string' && line.type !== 'progress') this.events.push(line);
    this.#waiters.notify();
  }
}
