import type { ErrorCode } from './codes.ts';
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
