import { useState } from 'react';
import type { GoldenImageDeleted } from '../../../shared/admin-api.ts';
import type { AdminApiError, AdminClient } from '../api/admin-client.ts';
import type { GoldenImage, UserGroup } from '../api/admin-types.ts';
import { ApiErrorNotice, toApiError } from '../components/api-error-notice.tsx';
import { groupList, strandedSentence } from './golden-image-words.ts';

/** Props of the delete button of the golden image form. */
export interface DeleteGoldenImageProps {
  readonly client: AdminClient;
  readonly image: GoldenImage;
  readonly groups: readonly UserGroup[];
  readonly onDeleted: (answer: GoldenImageDeleted) => void;
}

type Step =
  | { readonly kind: 'idle' }
  | { readonly kind: 'asking' }
  | { readonly kind: 'confirm'; readonly stranded: readonly string[] }
  | { readonly kind: 'deleting'; readonly stranded: readonly string[] };

/**
 * "Delete Golden Image": asks the portal first (without `confirm`), which names the groups that
 * would be stranded, then asks the admin in a dialog, and deletes with `?confirm=true`.
 */
export function DeleteGoldenImage({ client, image, groups, onDeleted }: DeleteGoldenImageProps) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<AdminApiError | null>(null);
  const path = `/golden-images/${encodeURIComponent(image.id)}`;

  const ask = async (): Promise<void> => {
    if (step.kind === 'asking') return;
    setStep({ kind: 'asking' });
    setError(null);
    try {
      // Without ?confirm=true the portal refuses and names the groups deleting would strand.
      onDeleted(await client.admin<GoldenImageDeleted>('DELETE', path));
    } catch (failure) {
      const refusal = toApiError(failure);
      if (refusal.code === 'CONFIRMATION_REQUIRED') {
        setStep({ kind: 'confirm', stranded: refusal.facts.strandedGroups ?? [] });
      } else {
        setError(refusal);
        setStep({ kind: 'idle' });
      }
    }
  };

  const confirm = async (stranded: readonly string[]): Promise<void> => {
    if (step.kind === 'deleting') return;
    setStep({ kind: 'deleting', stranded });
    try {
      onDeleted(await client.admin<GoldenImageDeleted>('DELETE', `${path}?confirm=true`));
    } catch (failure) {
      setError(toApiError(failure));
      setStep({ kind: 'idle' });
    }
  };

  if (step.kind === 'confirm' || step.kind === 'deleting') {
    const assigned = image.assignedTo.length;
    return (
      <div
        className="confirm-delete warning"
        role="alertdialog"
        aria-labelledby="confirm-delete-title"
        aria-describedby="confirm-delete-text"
      >
        <h3 id="confirm-delete-title">Delete “{image.name}” for good?</h3>
        <div id="confirm-delete-text">
          <p>This cannot be undone: to get it back you would create it again.</p>
          {assigned > 0 && (
            <p>{groupList(image.assignedTo, groups)} will no longer be offered a golden image.</p>
          )}
          {step.stranded.length > 0 && <p>{strandedSentence(step.stranded, groups)}</p>}
        </div>
        <div className="actions">
          <button
            type="button"
            className="danger"
            aria-disabled={step.kind === 'deleting' || undefined}
            onClick={() => void confirm(step.stranded)}
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
        aria-disabled={step.kind === 'asking' || undefined}
        onClick={() => void ask()}
      >
        Delete Golden Image
      </button>
      <ApiErrorNotice error={error} context={{ form: 'golden-image', subject: image.name }} />
    </>
  );
}
