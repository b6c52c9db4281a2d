import type { Logger } from 'pino';
import type { ErrorCode } from '../../../shared/codes.ts';
import { ERROR_SENTENCES } from '../../../shared/codes.ts';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { terminalLine } from '../../../shared/terminal-text.ts';

/** How a prlctl run failed, as execFile reports it. */
export interface PrlctlFailure {
  readonly args: readonly string[];
  readonly binary: string;
  readonly stderr: string;
  readonly stdout: string;
  /** The exit status, when prlctl ran and ended by itself. */
  readonly exitCode?: number;
  /** The errno of a failed start (ENOENT: no such program). */
  readonly errno?: string;
  /** The timeout that ended the run, when it ran too long. */
  readonly timedOutAfterMs?: number;
}

// Parallels Desktop's own words: "This product was activated for a limited period of time that
// has now expired. Purchase a new activation key …"; an unlicensed edition speaks of its license.
const NOT_LICENSED = /licen[cs]e|activat(?:ed|ion)|purchase/i;
// `Failed to register the VM: "big-sur-vanilla" is already registered.`
const EXISTS = /already (?:registered|exists)/i;
const MAX_KEPT_STDERR = 64 * 1024;
const MAX_TAIL_CHARS = 160;

/** The stable code a prlctl failure maps to. */
export function prlctlErrorCode(failure: PrlctlFailure): ErrorCode {
  if (failure.errno === 'ENOENT') return 'PARALLELS_NOT_INSTALLED';
  if (NOT_LICENSED.test(failure.stderr)) return 'PARALLELS_NOT_LICENSED';
  if (EXISTS.test(failure.stderr)) return 'PARALLELS_VM_EXISTS';
  if (failure.args[0] === 'register') return 'PARALLELS_REGISTER_FAILED';
  return 'PARALLELS_COMMAND_FAILED';
}

/** The last line prlctl wrote to stderr, trimmed and safe for a terminal ('' when none). */
export function stderrTail(stderr: string): string {
  const last = stderr.trim().split('\n').at(-1)?.trim() ?? '';
  const short = last.length > MAX_TAIL_CHARS ? `…${last.slice(-MAX_TAIL_CHARS)}` : last;
  return terminalLine(short);
}

/** The ProvisimError for a failed prlctl run; its whole stderr goes to `details` and the log. */
export function prlctlError(failure: PrlctlFailure, logger?: Logger): ProvisimError {
  const code = prlctlErrorCode(failure);
  const tail = stderrTail(failure.stderr);
  let said = tail === '' ? '' : ` (prlctl: ${tail})`;
  if (failure.timedOutAfterMs !== undefined) {
    said = ` (prlctl ${failure.args[0] ?? ''} gave no answer within ${Math.round(failure.timedOutAfterMs / 1000)} s)`;
  }
  const details = {
    command: failure.args[0] ?? '',
    args: [...failure.args],
    binary: failure.binary,
    ...(failure.exitCode === undefined ? {} : { exitCode: failure.exitCode }),
    ...(failure.errno === undefined ? {} : { errno: failure.errno }),
    ...(failure.timedOutAfterMs === undefined ? {} : { timedOutAfterMs: failure.timedOutAfterMs }),
    stderr: failure.stderr.slice(-MAX_KEPT_STDERR),
  };
  logger?.warn(
    { prlctl: { ...details, stdout: failure.stdout.slice(-MAX_KEPT_STDERR) } },
    'prlctl failed',
  );
  return new ProvisimError(code, {
    // The code's own sentence says what to do; prlctl's last line says what happened.
    message:
      code === 'PARALLELS_NOT_INSTALLED'
        ? ERROR_SENTENCES[code]
        : `${ERROR_SENTENCES[code]}${said}`,
    details,
  });
}
