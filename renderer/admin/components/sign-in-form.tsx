import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { describedBy } from '../../components/form-fields.tsx';
import { SubmitButton } from './form-errors.tsx';

/** Props of the sign-in form. */
export interface SignInFormProps {
  /** Why the admin is here again, in the page's words: the session's token stopped working. */
  readonly message: string | null;
  /** Checks the token with the portal; resolves with a sentence when it is refused. */
  readonly onSignIn: (token: string) => Promise<string | null>;
}

/**
 * Asks once for the admin token the portal printed at its first start. While the portal checks
 * it the button stays focusable (aria-disabled); a refused token puts the focus back in the field,
 * selected, with the sentence announced beside it.
 */
export function SignInForm({ message, onSignIn }: SignInFormProps) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ text: string } | null>(null);
  const [blank, setBlank] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const id = useId();
  const shown = refusal?.text ?? message;
  const error = blank ? 'Enter the admin token.' : undefined;

  useEffect(() => {
    if (!refusal) return;
    field.current?.focus();
    field.current?.select();
  }, [refusal]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    const trimmed = token.trim();
    setBlank(trimmed === '');
    if (trimmed === '') {
      field.current?.focus();
      return;
    }
    setBusy(true);
    const sentence = await onSignIn(trimmed);
    setBusy(false);
    // A new object each time: the same sentence twice still moves the focus back.
    setRefusal(sentence === null ? null : { text: sentence });
  };

  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <form
        className="sign-in-form"
        onSubmit={(event) => void submit(event)}
        aria-busy={busy || undefined}
        noValidate
      >
        <h1 id="sign-in-title">Provisim Management Portal</h1>
        <p className="hint">
          Sign in with the admin token. The portal prints it once at its first start and keeps it in
          the <span className="mono">admin-token</span> file of its data folder.
        </p>
        <div className="field">
          <label htmlFor={id}>Admin token</label>
          <input
            ref={field}
            id={id}
            type="text"
            value={token}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error || refusal ? true : undefined}
            aria-describedby={
              [describedBy(id, undefined, error), shown ? `${id}-refusal` : '']
                .filter(Boolean)
                .join(' ') || undefined
            }
            onChange={(event) => setToken(event.target.value)}
          />
          {error && (
            <p id={`${id}-error`} className="field-error">
              {error}
            </p>
          )}
        </div>
        {shown && (
          <p id={`${id}-refusal`} className="api-error error-sentence" role="alert">
            {shown}
          </p>
        )}
        <div className="actions">
          <SubmitButton busy={busy}>Sign in</SubmitButton>
        </div>
      </form>
    </main>
  );
}
