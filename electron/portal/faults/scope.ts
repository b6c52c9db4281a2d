import type { FaultAttempts, FaultScope } from '../../../shared/faults.ts';

/** The facts of a request that a fault's scope looks at. */
export interface FaultRequest {
  /** The path without its query. */
  readonly path: string;
  readonly method: string;
  readonly hasRange: boolean;
}

/** Whether a request is in a scope's paths and methods, the part that counts attempts. */
export function inPathScope(scope: FaultScope | undefined, request: FaultRequest): boolean {
  if (scope?.paths && !scope.paths.some((pattern) => pathMatches(pattern, request.path))) {
    return false;
  }
  const method = request.method.toUpperCase();
  return !scope?.methods || scope.methods.some((m) => m.toUpperCase() === method);
}

/** Whether the request's Range header is what the scope asks for. */
export function rangeMatches(scope: FaultScope | undefined, request: FaultRequest): boolean {
  const wanted = scope?.range ?? 'any';
  return wanted === 'any' || (wanted === 'with') === request.hasRange;
}

/** Whether the 1-based attempt is one the selector picks. */
export function attemptSelected(attempts: FaultAttempts | undefined, attempt: number): boolean {
  if (attempts === undefined || attempts === 'every') return true;
  if ('first' in attempts) return attempt <= attempts.first;
  if ('nth' in attempts) return attempt === attempts.nth;
  return attempt >= attempts.from;
}

/** Whether a path pattern (exact, or a prefix ending in "*") matches a path. */
export function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}
