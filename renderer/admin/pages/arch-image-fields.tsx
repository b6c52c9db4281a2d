import { TextField } from '../../components/form-fields.tsx';
import type { Arch } from '../../../shared/protocol.ts';
import type { AdminApiError, AdminClient } from '../api/admin-client.ts';
import { ARCH_LABELS } from '../api/admin-types.ts';
import { problemAt } from '../components/api-error-notice.tsx';
import { CheckboxField } from '../components/choice-fields.tsx';
import type { ArchDraft } from './golden-image-draft.ts';
import { VerifyLink } from './verify-link.tsx';

/** Props of one architecture's part of the golden image form. */
export interface ArchImageFieldsProps {
  readonly arch: Arch;
  readonly draft: ArchDraft;
  readonly onChange: (change: Partial<ArchDraft>) => void;
  readonly client: AdminClient;
  /** The API's last refusal of the form, for the fields' inline errors. */
  readonly error: AdminApiError | null;
}

/** "Enable for …", the download URL and the SHA-256 checksum of one architecture. */
export function ArchImageFields({ arch, draft, onChange, client, error }: ArchImageFieldsProps) {
  const label = ARCH_LABELS[arch];
  return (
    <fieldset className="choice arch-image" data-arch={arch}>
      <legend>
        {label} <span className="mono">({arch})</span>
      </legend>
      <CheckboxField
        label={`Enable for ${label}`}
        checked={draft.enabled}
        onChange={(enabled) => onChange({ enabled })}
      />
      <TextField
        label={`Download URL for ${label}`}
        value={draft.url}
        onChange={(url) => onChange({ url })}
        placeholder="https://files.example.com/vm/image.pvmp"
        hint="A direct link to the .pvmp file, reachable without signing in, or a path under /images/ on this portal."
        error={problemAt(error, `images.${arch}.url`)}
      />
      <TextField
        label={`Checksum (SHA-256) for ${label}`}
        value={draft.checksum}
        onChange={(checksum) => onChange({ checksum })}
        hint="Paste the contents of the .sha256.txt file that came with the image."
        error={problemAt(error, `images.${arch}.checksum`)}
      />
      <VerifyLink client={client} url={draft.url} checksum={draft.checksum} label={label} />
    </fieldset>
  );
}
