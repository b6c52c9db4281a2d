// Crash tests kill the agent at exact, named places of the pipeline instead of racing a timer:
// PROVISIM_CRASH_AT=<point>[:<nth hit>] or bytes:<offset> makes the process SIGKILL itself there.
// Without that variable each check is one comparison.

/** The named places of the pipeline a crash test can stop the agent at. */
export type CrashPoint =
  | 'after-lock'
  | 'after-check-in'
  | 'after-accept'
  | 'after-resume-state'
  | 'after-entry-journaled'
  | 'after-checkpoint'
  | 'during-replay'
  | 'before-verify'
  | 'after-verify'
  | 'after-unpack'
  | 'after-validate'
  | 'after-claim-noted'
  | 'after-claim'
  | 'after-move'
  | 'after-backend-register'
  | 'after-registry-write'
  | 'after-note-cleared'
  | 'after-download-removed'
  | 'after-packed-placed'
  | 'after-packed-register'
  | 'after-packed-unpack'
  | 'after-packed-recorded'
  | 'before-previous-removed'
  | 'after-previous-moved'
  | 'after-vm-renamed'
  | 'before-result';

const wanted = parse(process.env.PROVISIM_CRASH_AT);
let hits = 0;

/** Kills this process here when a crash test asked for this point (and this hit of it). */
export function crashPoint(point: CrashPoint): void {
  if (wanted?.point !== point) return;
  hits += 1;
  if (hits === wanted.nth) die();
}

/** Kills this process once `held` image bytes are on disk, when a crash test asked for that offset. */
export function crashAtBytes(held: number): void {
  if (wanted?.point === 'bytes' && held >= wanted.nth) die();
}

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL cannot be caught; this only satisfies the type checker.
  throw new Error('unreachable');
}

function parse(text: string | undefined): { point: string; nth: number } | undefined {
  if (!text) return undefined;
  const [point, nth] = text.split(':');
  return { point: point!, nth: nth === undefined ? 1 : Number(nth) };
}
