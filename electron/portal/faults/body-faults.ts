import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { FaultOf, FaultType } from '../../../shared/faults.ts';
import { corruptChunk } from './corrupt.ts';
import { firstOf, ofType, type ActiveFault, type FaultSet } from './fault-set.ts';
import { pieceSizer, type Pacer } from './pacing.ts';
import { holdUntil, pause, settled } from './wait.ts';

const BODY_TYPES: ReadonlySet<FaultType> = new Set<FaultType>([
  'bandwidth',
  'slicer',
  'limit_data',
  'corrupt',
  'truncate',
  'stall',
  'slow_first_byte',
  'revoke_license',
  'bump_revision',
]);

// A reset that overtakes unread data reads as a clean end on Linux: let the client read first.
const RESET_GRACE_MS = 25;

/** Where the body goes and what it is. */
export interface BodyTarget {
  readonly res: ServerResponse;
  readonly socket: Socket;
  readonly faults: FaultSet;
  /** Offset in the file of the body's first byte (a range's start). */
  readonly offset: number;
  /** Whether the body is image bytes, which the state faults count. */
  readonly image: boolean;
  /** The stream that carries the body to the response, once made. */
  carrier?: Readable;
}

/** Whether any of the active faults acts on the response body. */
export function hasBodyFaults(active: readonly ActiveFault[]): boolean {
  return active.some(
    (f) =>
      BODY_TYPES.has(f.spec.type) ||
      (f.spec.type === 'reset_peer' && f.spec.afterBytes !== undefined),
  );
}

// Body offsets where something happens, worked out once per answer.
interface Plan {
  readonly endAt: number;
  readonly resetAt: number;
  readonly stalls: readonly ActiveFault<'stall'>[];
  readonly counters: readonly ActiveFault[];
  readonly corrupts: readonly FaultOf<'corrupt'>[];
  readonly pacer: Pacer;
}

/** The body passed through the active faults: cut, paced, stalled, corrupted, reset. */
export async function* faultyBody(
  source: AsyncIterable<Buffer> | Iterable<Buffer>,
  active: readonly ActiveFault[],
  target: BodyTarget,
): AsyncGenerator<Buffer> {
  const { res, socket } = target;
  try {
    const limitData = ofType(active, 'limit_data');
    // limit_data counts the head too, which the framework otherwise writes with the first bytes.
    if (limitData.length > 0 && !res.headersSent) res.flushHeaders();
    const head = Buffer.byteLength((res as unknown as { _header?: string })._header ?? '');
    const limits = [
      ...ofType(active, 'truncate').map((f) => f.spec.atBytes),
      ...limitData.map((f) => Math.max(0, f.spec.bytes - head)),
    ];
    const plan: Plan = {
      endAt: limits.length > 0 ? Math.min(...limits) : Infinity,
      resetAt: firstOf(active, 'reset_peer')?.spec.afterBytes ?? Infinity,
      stalls: ofType(active, 'stall'),
      counters: active.filter(
        (f) => f.spec.type === 'revoke_license' || f.spec.type === 'bump_revision',
      ),
      corrupts: ofType(active, 'corrupt').map((f) => f.spec),
      pacer: pieceSizer(active, target.faults),
    };
    const firstByte = firstOf(active, 'slow_first_byte');
    if (firstByte) {
      res.flushHeaders();
      if (!(await pause(firstByte.spec.delayMs, socket))) return;
    }
    yield* paced(source, plan, target);
  } finally {
    // A body cut short must still let go of its file.
    if (source instanceof Readable) source.destroy();
  }
}

async function* paced(
  source: AsyncIterable<Buffer> | Iterable<Buffer>,
  plan: Plan,
  target: BodyTarget,
): AsyncGenerator<Buffer> {
  let sent = 0;
  if (!(await arrive(0, plan, target))) return;
  for await (const raw of source) {
    let chunk =
      plan.corrupts.length > 0 ? corruptChunk(raw, target.offset + sent, plan.corrupts) : raw;
    while (chunk.length > 0) {
      const stallsAhead = plan.stalls.map((s) => stallAt(s, target)).filter((at) => at > sent);
      const nextStop = Math.min(plan.endAt, plan.resetAt, ...stallsAhead);
      const size = Math.min(chunk.length, nextStop - sent, plan.pacer.size());
      yield chunk.subarray(0, size);
      chunk = chunk.subarray(size);
      sent += size;
      if (target.image)
        for (const fault of plan.counters) target.faults.countImageBytes(fault, size);
      if (!(await arrive(sent, plan, target))) return;
      if (!(await plan.pacer.wait(sent, target.socket))) return;
    }
  }
}

// Where in this body a stall falls: counted in the body, or in the file when a resume starts later.
function stallAt(stall: ActiveFault<'stall'>, target: BodyTarget): number {
  return stall.spec.inFile ? stall.spec.atBytes - target.offset : stall.spec.atBytes;
}

// Acts on what happens once `sent` body bytes are out; false when the body stops here.
async function arrive(sent: number, plan: Plan, target: BodyTarget): Promise<boolean> {
  const { res, socket, faults } = target;
  if (sent === plan.resetAt) {
    await settled(target.carrier, res, socket);
    await pause(RESET_GRACE_MS, socket);
    socket.resetAndDestroy();
    return false;
  }
  if (sent === plan.endAt) {
    // Content-Length still promises the whole body: the client sees a clean early close.
    res.once('finish', () => socket.end());
    return false;
  }
  for (const stall of plan.stalls) {
    if (stallAt(stall, target) !== sent) continue;
    const { forMs } = stall.spec;
    const held =
      forMs === undefined
        ? await holdUntil(faults.removal(stall.id), socket)
        : await pause(forMs, socket);
    if (!held) return false;
  }
  return true;
}
