import { useCallback, useEffect, useState } from 'react';
import { AdminApiError } from '../api/admin-client.ts';

/** Any failure as an `AdminApiError`: a network failure gets a sentence of its own. */
export function toApiError(error: unknown): AdminApiError {
  if (error instanceof AdminApiError) return error;
  const detail = error instanceof Error ? ` (${error.message})` : '';
  return new AdminApiError(
    0,
    'NETWORK',
    `The portal could not be reached${detail}. Check that it is running, then try again.`,
    [],
  );
}

/** Props of the notice under a form that the API refused. */
export interface ApiErrorNoticeProps {
  readonly error: AdminApiError | null;
}

/** The API's sentence, and every problem it listed, announced to screen readers. */
export function ApiErrorNotice({ error }: ApiErrorNoticeProps) {
  if (!error) return null;
  return (
    <div className="api-error" role="alert" data-code={error.code}>
      <p className="error-sentence">{error.message}</p>
      {error.problems.length > 1 && (
        <ul className="problems">
          {error.problems.map((problem) => (
            <li key={`${problem.path}:${problem.code}`}>
              <span className="mono">{problem.path}</span> {problem.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The reason the API gave for one field (like `images.arm64.url`), for its inline error. */
export function problemAt(error: AdminApiError | null, path: string): string | undefined {
  const problem = error?.problems.find((p) => p.path === path);
  return problem ? `${problem.path} ${problem.reason}` : undefined;
}

/** What `useLoad` gives a page: the data once loaded, the failure, and a way to load again. */
export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: AdminApiError | null;
  readonly reload: () => void;
}

/** Loads `load()` now and on every `reload()`; the newest answer wins. */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<AdminApiError | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
      },
      (failure: unknown) => current && setError(toApiError(failure)),
    );
    return () => {
      current = false;
    };
    // `load` is rebuilt on every render: loading again is asked for with reload().
  }, [round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, reload };
}

/** A change the admin makes: its refusal, whether it runs, and how to run it. */
export interface Action {
  readonly error: AdminApiError | null;
  readonly busy: boolean;
  /** Runs `change`; on success clears the error and calls `after`. */
  run(change: () => Promise<unknown>, after?: () => void): Promise<void>;
}

/** Tracks one form's (or table's) changes so that the API's refusal shows next to it. */
export function useAction(): Action {
  const [error, setError] = useState<AdminApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (change: () => Promise<unknown>, after?: () => void): Promise<void> => {
    setBusy(true);
    try {
      await change();
      setError(null);
      after?.();
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}
