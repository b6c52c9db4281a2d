import type { IncomingMessage } from 'node:http';
import type { ActiveFault } from './fault-set.ts';

const byRequest = new WeakMap<IncomingMessage, readonly ActiveFault[]>();
const NONE: readonly ActiveFault[] = [];

/** Keeps the faults picked for a request, for the routes and hooks that apply them. */
export function rememberFaults(request: IncomingMessage, active: readonly ActiveFault[]): void {
  if (active.length > 0) byRequest.set(request, active);
}

/** The faults picked for a request; empty when none apply. */
export function faultsOf(request: IncomingMessage): readonly ActiveFault[] {
  return byRequest.get(request) ?? NONE;
}

const offsets = new WeakMap<IncomingMessage, number>();

/** Notes the file offset of a response body's first byte (a range's start), for corrupt. */
export function noteBodyOffset(request: IncomingMessage, offset: number): void {
  offsets.set(request, offset);
}

/** The file offset of a response body's first byte; 0 unless a route noted another. */
export function bodyOffsetOf(request: IncomingMessage): number {
  return offsets.get(request) ?? 0;
}
