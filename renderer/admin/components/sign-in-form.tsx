import { useState, type FormEvent } from 'react';
import { TextField } from '../../components/form-fields.tsx';

/** Props of the sign-in form. */
export interface SignInFormProps {
  /** Why the admin is here again: the portal's sentence after a refused token. */
  readonly message: string | null;
  /** Checks the token with the portal; resolves with a sentence when it is refused. */
  readonly onSignIn: (token: string) => Promise<string | null>;
}

/** Asks once for the admin token the portal printed at its first start. */
export function SignInForm({ message, onSignIn }: SignInFormProps) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [blank, setBlank] = useState(false);
  const shown = refusal ?? message;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const trimmed = token.trim();
    setBlank(trimmed === '');
    if (trimmed === '') return;
    setBusy(true);
    const sentence = await onSignIn(trimmed);
    setBusy(false);
    setRefusal(sentence);
  };

  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <form className="sign-in-form" onSubmit={(event) => void submit(event)} noValidate>
        <h1 id="sign-in-title">Provisim Management Portal</h1>
        <p className="hint">
          Sign in with the admin token. The portal prints it once at its first start and keeps it in
          the <span className="mono">admin-token</span> file of its data folder.
        </p>
        <TextField
          label="Admin token"
          value={token}
          onChange={setToken}
          error={blank ? 'Enter the admin token.' : undefined}
        />
        {shown && (
          <p className="api-error error-sentence" role="alert">
            {shown}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Sign in
          </button>
        </div>
      </form>
    </main>
  );
}
