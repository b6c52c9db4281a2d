import { type ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';

/** Awaits a promise that must reject with a ProvisimError, and returns that error. */
export async function provisimFailure(promise: Promise<unknown>): Promise<ProvisimError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isProvisimError(error)) throw new Error(`expected a ProvisimError, got ${String(error)}`);
  return error;
}
