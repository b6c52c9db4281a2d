import { useState } from 'react';
import type { GoldenImageDeleted } from '../../../shared/admin-api.ts';
import type { AdminApiError, AdminClient } from '../api/admin-client.ts';
import type { GoldenImage } from '../api/admin-types.ts';
import { ApiErrorNotice, toApiError } from '../components/api-error-notice.tsx';

/** Props of the delete button of the golden image form. */
export interface DeleteGoldenImageProps {
  readonly client: AdminClient;
  readonly image: GoldenImage;
  readonly onDeleted: (answer: GoldenImageDeleted) => void;
}

type Step =
  | { readonly kind: 'idle' }
  | { readonly kind: 'asking' }
  | { readonly kind: 'confirm'; readonly sentence: string }
  | { readonly kind: 'deleting'; readonly sentence: string };

/**
 * "Delete Golden Image": asks the portal first (without `confirm`) so that the admin reads its
 * sentence, which names the groups that would be stranded, then deletes with `?confirm=true`.
 */
export function DeleteGoldenImage({ client, image, onDeleted }: DeleteGoldenImageProps) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<AdminApiError | null>(null);
  const path = `/golden-images/${encodeURIComponent(image.id)}`;

  const ask = async (): Promise<void> => {
    setStep({ kind: 'asking' });
    setError(null);
    try {
      // Without ?confirm=true the portal refuses and says what deleting would do.
      onDeleted(await client.admin<GoldenImageDeleted>('DELETE', path));
    } catch (failure) {
      const refusal = toApiError(failure);
      if (refusal.code === 'CONFIRMATION_REQUIRED') {
        setStep({ kind: 'confirm', sentence: refusal.message });
      } else {
        setError(refusal);
        setStep({ kind: 'idle' });
      }
    }
  };

  const confirm = async (sentence: string): Promise<void> => {
    setStep({ kind: 'deleting', sentence });
    try {
      onDeleted(await client.admin<GoldenImageDeleted>('DELETE', `${path}?confirm=true`));
    } catch (failure) {
      setError(toApiError(failure));
      setStep({ kind: 'idle' });
    }
  };

  if (step.kind === 'confirm' || step.kind === 'deleting') {
    return (
      <div
        className="confirm-delete warning"
        role="alertdialog"
        aria-labelledby="confirm-delete-title"
        aria-describedby="confirm-delete-text"
      >
        <h3 id="confirm-delete-title">Delete “{image.name}” for good?</h3>
        <p id="confirm-delete-text">{step.sentence}</p>
        <div className="actions">
          <button
            type="button"
            className="danger"
            disabled={step.kind === 'deleting'}
            onClick={() => void confirm(step.sentence)}
          >
            Delete permanently
          </button>
          {/* The safe choice has the focus, so Enter does not delete by accident. */}
          <button type="button" autoFocus onClick={() => setStep({ kind: 'idle' })}>
            Keep it
          </button>
        </div>
      </div>
    );
  }
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={step.kind === 'asking'}
        onClick={() => void ask()}
      >
        Delete Golden Image
      </button>
      <ApiErrorNotice error={error} />
    </>
  );
}
