import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { firstOf, type ActiveFault, type FaultSet } from './fault-set.ts';
import { pause } from './wait.ts';

/** How big the next write may be and how long to wait after it. */
export interface Pacer {
  /** Bytes of the next write; Infinity when nothing limits it. */
  size(): number;
  /** Waits after `sent` body bytes; false when the client went away. */
  wait(sent: number, socket: Socket): Promise<boolean>;
}

// Twenty writes a second keep a throttled transfer smooth without a timer per few bytes.
const WRITES_PER_SECOND = 20;
const MAX_QUANTUM = 64 * 1024;

/** The pacing of the slicer and bandwidth faults, or none. */
export function pieceSizer(active: readonly ActiveFault[], faults: FaultSet): Pacer {
  const slicer = firstOf(active, 'slicer')?.spec;
  const bandwidth = firstOf(active, 'bandwidth')?.spec;
  const quantum = bandwidth
    ? Math.max(1, Math.min(MAX_QUANTUM, Math.floor(bandwidth.bytesPerSec / WRITES_PER_SECOND)))
    : Infinity;
  const start = performance.now();
  return {
    size() {
      if (!slicer) return quantum;
      const variation = Math.min(slicer.sizeVariation ?? 0, slicer.averageSize - 1);
      const slice =
        slicer.averageSize + (variation > 0 ? faults.randomInt(-variation, variation) : 0);
      return Math.min(quantum, slice);
    },
    async wait(sent, socket) {
      if (slicer && slicer.delayMs > 0 && !(await pause(slicer.delayMs, socket))) return false;
      if (!bandwidth) return true;
      const due = start + (sent / bandwidth.bytesPerSec) * 1000 - performance.now();
      return due <= 1 || pause(Math.ceil(due), socket);
    },
  };
}
