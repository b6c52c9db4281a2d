import { EXIT_CODES, type ErrorCode, type ExitCode } from './codes.ts';
import { ProvisimError, isProvisimError } from './provisim-error.ts';
import type { VmRecord } from './agent-store-schema.ts';

/** How one "New VM" action ended. */
export const RUN_OUTCOMES = [
  'registered',
  'updated',
  'already-registered',
  'declined',
  'no-image',
  'failed',
] as const;

/** A run outcome. */
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** Why a run, create or agent failed: a stable code and a sentence a user can act on. */
export interface ResultError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** The last NDJSON line of any command that failed. */
export interface FailedResult {
  readonly type: 'result';
  readonly outcome: 'failed';
  readonly error: ResultError;
  readonly vm?: undefined;
}

/** The last NDJSON line `provisim run --json` prints: a VM only where one is registered. */
export type RunResult =
  | {
      readonly type: 'result';
      readonly outcome: 'registered' | 'already-registered';
      readonly vm: VmRecord;
      readonly error?: undefined;
    }
  | {
      readonly type: 'result';
      readonly outcome: 'updated';
      /** The VM made from the new version. */
      readonly vm: VmRecord;
      /** The VM made from the previous version. */
      readonly previous: VmRecord;
      /** False when the previous VM is kept too: `keptReason` says why. */
      readonly previousRemoved: boolean;
      /** Why the previous VM was kept, as the end of "Both VMs are kept: …". */
      readonly keptReason?: string;
      readonly error?: undefined;
    }
  | {
      readonly type: 'result';
      readonly outcome: 'declined' | 'no-image';
      readonly vm?: undefined;
      readonly error?: undefined;
    }
  | FailedResult;

/** The last NDJSON line `provisim create --json` prints. */
export type CreateResult =
  | {
      readonly type: 'result';
      readonly outcome: 'created';
      readonly vm: VmRecord;
      readonly error?: undefined;
    }
  | FailedResult;

/** The last NDJSON line `provisim agent --json` prints: stopped by Ctrl-C, or could not start. */
export type AgentResult =
  | { readonly type: 'result'; readonly outcome: 'stopped'; readonly error?: undefined }
  | FailedResult;

/** The exit code a finished run, create or agent ends the CLI with. */
export function exitCodeFor(result: RunResult | CreateResult | AgentResult): ExitCode {
  if (result.outcome !== 'failed') return EXIT_CODES.OK;
  if (result.error.code === 'CANCELLED') return EXIT_CODES.INTERRUPTED;
  return result.error.code === 'USAGE' ? EXIT_CODES.USAGE : EXIT_CODES.FAILED;
}

/** A failed result for any error; unexpected ones become INTERNAL_ERROR. */
export function failedResult(error: unknown): FailedResult {
  const known = isProvisimError(error)
    ? error
    : new ProvisimError('INTERNAL_ERROR', { cause: error });
  return { type: 'result', outcome: 'failed', error: known.toJSON() };
}
