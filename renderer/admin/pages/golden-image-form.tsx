import { useState, type FormEvent } from 'react';
import { TextField } from '../../components/form-fields.tsx';
import { ARCHES } from '../../../shared/protocol.ts';
import type { GoldenImageDeleted } from '../../../shared/admin-api.ts';
import { pageRefusal, type AdminClient } from '../api/admin-client.ts';
import type { GoldenImage, UserGroup } from '../api/admin-types.ts';
import { useAction } from '../components/api-error-notice.tsx';
import { CheckboxGroup, TextAreaField, targetChoices } from '../components/choice-fields.tsx';
import { FormAlert, SubmitButton, useFormErrors } from '../components/form-errors.tsx';
import { ArchImageFields } from './arch-image-fields.tsx';
import { DeleteGoldenImage } from './delete-golden-image.tsx';
import {
  bodyOf,
  draftOf,
  draftProblems,
  targetLabel,
  withArch,
  type ImageDraft,
} from './golden-image-draft.ts';

/** Props of the form that creates or edits a golden image. */
export interface GoldenImageFormProps {
  readonly client: AdminClient;
  /** The image being edited; absent to create one. */
  readonly image?: GoldenImage;
  readonly groups: readonly UserGroup[];
  /** Every golden image, for the names taken and the groups that have one already. */
  readonly images?: readonly GoldenImage[];
  readonly onSaved: (image: GoldenImage) => void;
  readonly onDeleted: (answer: GoldenImageDeleted) => void;
  readonly onCancel: () => void;
}

/** Name, description, each architecture's image and the groups it is assigned to. */
export function GoldenImageForm(props: GoldenImageFormProps) {
  const { client, image, groups, images = [], onSaved, onDeleted, onCancel } = props;
  const [draft, setDraft] = useState(() => draftOf(image));
  const [sent, setSent] = useState<Record<string, unknown>>({});
  const saving = useAction();
  const others = images.filter((other) => other.id !== image?.id);
  const holderOf = (target: string): string | undefined =>
    others.find((other) => other.assignedTo.includes(target))?.name;
  const errors = useFormErrors(saving.error, {
    form: 'golden-image',
    sent,
    groupName: (id) => targetLabel(id, groups),
    holderOf,
  });
  const title = image ? `Edit ${image.name}` : 'Create Golden Image';
  // A field's sentence was about the value sent: once the admin changes the field it goes.
  const edit = (next: ImageDraft, field: string): void => {
    setDraft(next);
    errors.touched(field);
  };

  const save = (event: FormEvent): void => {
    event.preventDefault();
    if (saving.busy) return;
    const body = bodyOf(draft, image?.id);
    setSent(body);
    const found = draftProblems(draft, others);
    if (found.length > 0) return saving.refuse(pageRefusal(found));
    void saving.run(async () => {
      const answer = image
        ? await client.admin<{ goldenImage: GoldenImage }>(
            'PUT',
            `/golden-images/${encodeURIComponent(image.id)}`,
            body,
          )
        : await client.admin<{ goldenImage: GoldenImage }>('POST', '/golden-images', body);
      onSaved(answer.goldenImage);
    });
  };

  return (
    <form
      className="card image-form"
      aria-labelledby="image-form-title"
      aria-busy={saving.busy || undefined}
      onSubmit={save}
      noValidate
    >
      <h2 id="image-form-title">{title}</h2>
      <TextField
        label="Name"
        value={draft.name}
        onChange={(name) => edit({ ...draft, name }, 'name')}
        hint="Shown to your users, like “ACME Windows 11 Pro for Arm”."
        error={errors.field('name')}
      />
      <TextAreaField
        label="Description (optional)"
        value={draft.description}
        onChange={(description) => edit({ ...draft, description }, 'description')}
        hint="Also shown to your users: what the image is for."
      />
      <div className="arch-columns">
        {ARCHES.map((arch) => (
          <ArchImageFields
            key={arch}
            arch={arch}
            draft={draft.images[arch]}
            onChange={(change, field) => edit(withArch(draft, arch, change), field)}
            client={client}
            errors={errors}
          />
        ))}
      </div>
      <CheckboxGroup
        legend="Assign to"
        hint="Each group can have one golden image; the primary license key stands for the users of no group."
        choices={targetChoices(groups, (target) => {
          const holder = holderOf(target);
          return holder === undefined ? undefined : `Has “${holder}”`;
        })}
        selected={draft.assignedTo}
        onChange={(assignedTo) => edit({ ...draft, assignedTo }, 'assignedTo')}
        error={errors.field('assignedTo')}
      />
      <FormAlert errors={errors} />
      <div className="actions form-actions">
        {image && (
          <DeleteGoldenImage client={client} image={image} onDeleted={onDeleted} groups={groups} />
        )}
        <span className="spacer" />
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <SubmitButton busy={saving.busy}>Save</SubmitButton>
      </div>
    </form>
  );
}
