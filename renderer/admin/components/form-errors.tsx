import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { AdminApiError } from '../api/admin-client.ts';
import { pageErrors, type PageErrors, type WordsContext } from '../api/problem-words.ts';

/** A form's refusal in the page's words, field by field. */
export interface FormErrors {
  /** The refusal as it was given; null when there is none. */
  readonly error: AdminApiError | null;
  readonly words: PageErrors | null;
  /** The sentence beside a field, until the admin changes that field. */
  field(key: string): string | undefined;
  /** Forgets a field's sentence: what it said was about the value sent before. */
  touched(key: string): void;
}

/** Words a form's refusal for `context`, and forgets each field's sentence once it changes. */
export function useFormErrors(error: AdminApiError | null, context: WordsContext): FormErrors {
  const [touched, setTouched] = useState<{ of: AdminApiError | null; keys: readonly string[] }>({
    of: null,
    keys: [],
  });
  const keys = touched.of === error ? touched.keys : [];
  const words = error ? pageErrors(error, context) : null;
  return {
    error,
    words,
    field: (key) => (keys.includes(key) ? undefined : words?.fields[key]),
    touched: (key) => {
      if (!error) return;
      setTouched((prev) => {
        const kept = prev.of === error ? prev.keys : [];
        return kept.includes(key) ? prev : { of: error, keys: [...kept, key] };
      });
    },
  };
}

/**
 * The alert of a refused form. It takes the focus when a new refusal arrives, so that a screen
 * reader reads it and the keyboard goes on from the form rather than from the page's top.
 */
export function FormAlert({ errors }: { readonly errors: FormErrors }) {
  const ref = useRef<HTMLDivElement>(null);
  const { error, words } = errors;
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error || !words) return null;
  return (
    <div ref={ref} className="api-error" role="alert" tabIndex={-1} data-code={error.code}>
      <p className="error-sentence">{words.summary}</p>
    </div>
  );
}

/** Props of a form's submit button. */
export interface SubmitButtonProps {
  readonly busy: boolean;
  readonly children: ReactNode;
  readonly className?: string;
}

/**
 * A submit button that stays focusable while its change runs (`aria-disabled`, not `disabled`,
 * which would drop the focus to the page); the form ignores a second press meanwhile.
 */
export function SubmitButton({ busy, children, className = 'primary' }: SubmitButtonProps) {
  return (
    <button type="submit" className={className} aria-disabled={busy || undefined}>
      {children}
    </button>
  );
}
