import { assertNever } from '../../shared/assert-never.ts';
import type { ImageRef, JobPhase } from '../../shared/ipc-contract.ts';
import type { RunResult } from '../../shared/run-result.ts';
import { toIpcError } from './ipc-errors.ts';

/** Why the app stopped a job itself: Pause keeps the partial, Cancel drops it, Close leaves it. */
export type StopReason = 'pause' | 'cancel' | 'close';

/** The phase a finished New VM action leaves the job in. */
export function phaseForResult(
  result: RunResult,
  stopped: StopReason | undefined,
  image: ImageRef | undefined,
): JobPhase {
  switch (result.outcome) {
    case 'registered':
    case 'already-registered':
      return {
        phase: 'registered',
        vm: result.vm,
        alreadyRegistered: result.outcome === 'already-registered',
      };
    case 'updated':
      return {
        phase: 'updated',
        vm: result.vm,
        previous: result.previous,
        previousRemoved: result.previousRemoved,
        ...(result.keptReason === undefined ? {} : { keptReason: result.keptReason }),
      };
    case 'declined':
      return { phase: 'assistant', reason: 'declined' };
    case 'no-image':
      return { phase: 'assistant', reason: 'no-image' };
    case 'failed':
      // A CANCELLED the app caused itself is a pause, a cancel or a shutdown, not a failure.
      if (result.error.code === 'CANCELLED' && stopped !== undefined) {
        if (stopped === 'pause' && image) return { phase: 'paused', image };
        return stopped === 'cancel' ? { phase: 'cancelled' } : { phase: 'idle' };
      }
      return { phase: 'failed', error: toIpcError(result.error) };
    default:
      return assertNever(result);
  }
}
