import { execFile } from 'node:child_process';
import type { Logger } from 'pino';
import { prlctlError } from './prlctl-errors.ts';

/** How prlctl is found and run. */
export interface PrlctlOptions {
  readonly logger?: Logger;
  /** The environment prlctl runs in and PROVISIM_PRLCTL is read from (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
}

/** What a prlctl run printed. */
export interface PrlctlOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** A quick question (list, set, --version). */
export const SHORT_TIMEOUT_MS = 2 * 60 * 1000;
/** Register, unpack and delete move or read whole VMs: tens of GB on a slow disk. */
export const LONG_TIMEOUT_MS = 2 * 60 * 60 * 1000;
const LONG_COMMANDS = new Set(['register', 'unpack', 'delete']);
// A `list -i --json` of every VM: a few KB per VM.
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** The prlctl program: `$PROVISIM_PRLCTL` when set, else `prlctl` found on PATH. */
export function prlctlBinary(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.PROVISIM_PRLCTL?.trim();
  return given ? given : 'prlctl';
}

/**
 * Runs prlctl with `args` (no shell: paths and names are passed as they are); resolves with its
 * output, or rejects with a PARALLELS_* ProvisimError whose details keep prlctl's stderr.
 */
export function runPrlctl(
  args: readonly string[],
  options: PrlctlOptions & { readonly timeoutMs?: number } = {},
): Promise<PrlctlOutput> {
  const env = options.env ?? process.env;
  const binary = prlctlBinary(env);
  const timeoutMs =
    options.timeoutMs ?? (LONG_COMMANDS.has(args[0] ?? '') ? LONG_TIMEOUT_MS : SHORT_TIMEOUT_MS);
  options.logger?.debug({ prlctl: { args } }, 'prlctl');
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { env, timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8', windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr });
          return;
        }
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        const exitCode = typeof failure.code === 'number' ? failure.code : undefined;
        const errno = typeof failure.code === 'string' ? failure.code : undefined;
        reject(
          prlctlError(
            {
              args,
              binary,
              stdout,
              stderr,
              exitCode,
              errno,
              ...(failure.killed && exitCode === undefined ? { timedOutAfterMs: timeoutMs } : {}),
            },
            options.logger,
          ),
        );
      },
    );
  });
}
