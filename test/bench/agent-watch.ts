import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { agentEnv, runArguments, type AgentTarget } from './agent-run.ts';
import type { ProvisimCommand } from './provisim-bin.ts';

type Line = Record<string, unknown> & { readonly type?: unknown };

// A new response counts its bytes from zero (as electron/scenarios/agent-run-process.ts counts).
const ATTEMPT_EVENTS = new Set([
  'download-started',
  'download-resumed',
  'download-restarted',
  'download-retrying',
]);

/** One `provisim run --json --progress-lines` process, read line by line. */
export class AgentWatch {
  /** Every event line, in order (progress lines excluded). */
  readonly events: Line[] = [];
  result: Line | undefined = undefined;
  /** Image bytes received over every attempt of this process. */
  bytesReceived = 0;
  /** Bytes of the image the agent holds, as its last progress line said. */
  transferred = 0;
  readonly exited: Promise<void>;
  readonly #kill: (signal: NodeJS.Signals) => void;
  readonly #watchers = new Set<() => void>();
  #attemptBytes = 0;
  #finished = false;

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
      .then(() => {
        this.#finished = true;
        this.#notify();
      });
  }

  /** Resolves once `ready()` holds; rejects with `reason` if the process ends first. */
  until(ready: () => boolean, reason: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (ready()) resolve();
        else if (this.#finished) reject(new Error(reason));
        else return;
        this.#watchers.delete(check);
      };
      this.#watchers.add(check);
      check();
    });
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

  #take(text: string): void {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      return;
    }
    if (line.type === 'progress') {
      const attempt = typeof line.attemptBytes === 'number' ? line.attemptBytes : 0;
      this.bytesReceived += attempt >= this.#attemptBytes ? attempt - this.#attemptBytes : attempt;
      this.#attemptBytes = attempt;
      if (typeof line.transferred === 'number') this.transferred = line.transferred;
    } else if (line.type === 'result') {
      this.result = line;
    } else if (typeof line.type === 'string') {
      this.events.push(line);
      if (ATTEMPT_EVENTS.has(line.type)) this.#attemptBytes = 0;
    }
    this.#notify();
  }

  #notify(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }
}
