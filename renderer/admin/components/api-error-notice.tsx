import { useCallback, useEffect, useRef, useState } from 'react';
import { AdminApiError } from '../api/admin-client.ts';
import { pageErrors, type WordsContext } from '../api/problem-words.ts';

/** Any failure as an `AdminApiError`: a network failure gets a code of its own. */
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

/** Props of the notice of a refusal that is not a form's (loading a page, deleting a row). */
export interface ApiErrorNoticeProps {
  readonly error: AdminApiError | null;
  /** How the page names what the refusal is about; a plain list by default. */
  readonly context?: WordsContext;
}

/** The refusal in the page's words, announced to screen readers. */
export function ApiErrorNotice({ error, context = { form: 'list' } }: ApiErrorNoticeProps) {
  if (!error) return null;
  return (
    <div className="api-error" role="alert" data-code={error.code}>
      <p className="error-sentence">{pageErrors(error, context).summary}</p>
    </div>
  );
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
  /** Runs `change` (not while one runs); on success clears the error and calls `after`. */
  run(change: () => Promise<unknown>, after?: () => void): Promise<void>;
  /** Shows a refusal the page found itself, without sending anything. */
  refuse(error: AdminApiError): void;
  /** Forgets the refusal: a later action made it stale. */
  clear(): void;
}

/** Tracks one form's (or table's) changes so that the refusal shows next to it. */
export function useAction(): Action {
  const [error, setError] = useState<AdminApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // The button stays focusable while busy (aria-disabled), so a second press must be ignored here.
  const running = useRef(false);
  const run = async (change: () => Promise<unknown>, after?: () => void): Promise<void> => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await change();
      setError(null);
      after?.();
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  const clear = useCallback(() => setError(null), []);
  return { error, busy, run, refuse: setError, clear };
}
