import { useState, type FormEvent } from 'react';
import { TextField } from '../../components/form-fields.tsx';
import { ARCHES } from '../../../shared/protocol.ts';
import type { GoldenImageDeleted } from '../../../shared/admin-api.ts';
import type { AdminApiError, AdminClient } from '../api/admin-client.ts';
import type { GoldenImage, UserGroup } from '../api/admin-types.ts';
import { ApiErrorNotice, problemAt, toApiError } from '../components/api-error-notice.tsx';
import { CheckboxGroup, TextAreaField, targetChoices } from '../components/choice-fields.tsx';
import { ArchImageFields } from './arch-image-fields.tsx';
import { DeleteGoldenImage } from './delete-golden-image.tsx';
import { bodyOf, draftOf, withArch, type ImageDraft } from './golden-image-draft.ts';

/** Props of the form that creates or edits a golden image. */
export interface GoldenImageFormProps {
  readonly client: AdminClient;
  /** The image being edited; absent to create one. */
  readonly image?: GoldenImage;
  readonly groups: readonly UserGroup[];
  readonly onSaved: (image: GoldenImage) => void;
  readonly onDeleted: (answer: GoldenImageDeleted) => void;
  readonly onCancel: () => void;
}

/** Name, description, each architecture's image and the groups it is assigned to. */
export function GoldenImageForm(props: GoldenImageFormProps) {
  const { client, image, groups, onSaved, onDeleted, onCancel } = props;
  const [draft, setDraft] = useState(() => draftOf(image));
  const [error, setError] = useState<AdminApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const title = image ? `Edit ${image.name}` : 'Create Golden Image';
  // A refusal describes the fields as they were sent: once the admin edits, it is out of date.
  const edit = (next: ImageDraft): void => {
    setDraft(next);
    setError(null);
  };

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    try {
      const answer = image
        ? await client.admin<{ goldenImage: GoldenImage }>(
            'PUT',
            `/golden-images/${encodeURIComponent(image.id)}`,
            bodyOf(draft, image.id),
          )
        : await client.admin<{ goldenImage: GoldenImage }>('POST', '/golden-images', bodyOf(draft));
      setError(null);
      onSaved(answer.goldenImage);
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card image-form"
      aria-labelledby="image-form-title"
      onSubmit={(event) => void save(event)}
      noValidate
    >
      <h2 id="image-form-title">{title}</h2>
      <TextField
        label="Name"
        value={draft.name}
        onChange={(name) => edit({ ...draft, name })}
        hint="Shown to your users, like “ACME Windows 11 Pro for Arm”."
        error={problemAt(error, 'name')}
      />
      <TextAreaField
        label="Description (optional)"
        value={draft.description}
        onChange={(description) => edit({ ...draft, description })}
        hint="Also shown to your users: what the image is for."
      />
      <div className="arch-columns">
        {ARCHES.map((arch) => (
          <ArchImageFields
            key={arch}
            arch={arch}
            draft={draft.images[arch]}
            onChange={(change) => edit(withArch(draft, arch, change))}
            client={client}
            error={error}
          />
        ))}
      </div>
      <CheckboxGroup
        legend="Assign to"
        hint="Each group can have one golden image; the primary license key stands for the users of no group."
        choices={targetChoices(groups)}
        selected={draft.assignedTo}
        onChange={(assignedTo) => edit({ ...draft, assignedTo })}
        error={problemAt(error, 'assignedTo')}
      />
      <ApiErrorNotice error={error} />
      <div className="actions form-actions">
        {image && <DeleteGoldenImage client={client} image={image} onDeleted={onDeleted} />}
        <span className="spacer" />
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
