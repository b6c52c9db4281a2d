import { EXIT_CODES, type ErrorCode, type ExitCode } from './codes.ts';
import { ProvisimError, isProvisimError } from './provisim-error.ts';
import type { VmRecord } from './agent-store-schema.ts';

/** How one "New VM" action ended. */
export const RUN_OUTCOMES = [
  'registered',
  'already-registered',
  'declined',
  'no-image',
  'failed',
] as const;

/** A run outcome. */
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** The last NDJSON line `provisim run --json` prints. */
export interface RunResult {
  readonly type: 'result';
  readonly outcome: RunOutcome;
  readonly vm?: VmRecord;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

/** The last NDJSON line `provisim create --json` prints. */
export interface CreateResult {
  readonly type: 'result';
  readonly outcome: 'created' | 'failed';
  readonly vm?: VmRecord;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

/** The last NDJSON line `provisim agent --json` prints: stopped by Ctrl-C, or could not start. */
export interface AgentResult {
  readonly type: 'result';
  readonly outcome: 'stopped' | 'failed';
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

/** The exit code a finished run, create or agent ends the CLI with. */
export function exitCodeFor(result: RunResult | CreateResult | AgentResult): ExitCode {
  if (result.outcome !== 'failed') return EXIT_CODES.OK;
  if (result.error?.code === 'CANCELLED') return EXIT_CODES.INTERRUPTED;
  return result.error?.code === 'USAGE' ? EXIT_CODES.USAGE : EXIT_CODES.FAILED;
}

/** A failed result for any error; unexpected ones become INTERNAL_ERROR. */
export function failedResult(error: unknown): RunResult & CreateResult & AgentResult {
  const known = isProvisimError(error)
    ? error
    : new ProvisimError('INTERNAL_ERROR', { cause: error });
  return { type: 'result', outcome: 'failed', error: known.toJSON() };
}
