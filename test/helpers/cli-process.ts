import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';

const bin = resolve(import.meta.dirname, '../../electron/cli/provisim.js');

/** What a finished CLI process left. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `provisim` process with helpers to wait for its output. */
export interface CliProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Resolves with the first stdout line that satisfies `match`. */
  readonly waitForLine: (match: (line: string) => boolean) => Promise<string>;
  readonly done: Promise<CliRun>;
}

/** Starts `provisim <args>` with no stdin (as CI runs it). */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PROVISIM_HOME: undefined, ...env },
  });
  let stdout = '';
  let stderr = '';
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      for (const waiter of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolveDone) => {
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return {
    child,
    done,
    waitForLine: (match) =>
      new Promise((resolveLine, reject) => {
        waiters.push({ match, resolve: resolveLine });
        void done.then((run) =>
          reject(
            new Error(
              `process ended (code ${run.code}) before the line came:\n${run.stdout}\n${run.stderr}`,
            ),
          ),
        );
      }),
  };
}

/** Runs `provisim <args>` to the end. */
export function runCliProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  return startCli(args, env).done;
}

/** Parses NDJSON stdout into objects. */
export function ndjson(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Arguments of `provisim run` against a portal as an arm64 Mac with its own home, plus `extra`. */
export function runArgs(
  target: { portal: string; license: string; home: string; arch?: string },
  ...extra: string[]
): string[] {
  return [
    'run',
    '--portal',
    target.portal,
    '--license',
    target.license,
    '--arch',
    target.arch ?? 'arm64',
    '--home',
    target.home,
    ...extra,
  ];
}
