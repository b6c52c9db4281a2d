import { TextField } from '../../components/form-fields.tsx';
import type { Arch } from '../../../shared/protocol.ts';
import type { AdminClient } from '../api/admin-client.ts';
import { ARCH_LABELS } from '../api/admin-types.ts';
import { CheckboxField } from '../components/choice-fields.tsx';
import type { FormErrors } from '../components/form-errors.tsx';
import type { ArchDraft } from './golden-image-draft.ts';
import { VerifyLink } from './verify-link.tsx';

/** Props of one architecture's part of the golden image form. */
export interface ArchImageFieldsProps {
  readonly arch: Arch;
  readonly draft: ArchDraft;
  /** A change of the fields, and the field key whose error it makes stale. */
  readonly onChange: (change: Partial<ArchDraft>, field: string) => void;
  readonly client: AdminClient;
  /** The form's refusal, for the fields' sentences. */
  readonly errors: FormErrors;
}

/** "Enable for …", the download URL and the SHA-256 checksum of one architecture. */
export function ArchImageFields({ arch, draft, onChange, client, errors }: ArchImageFieldsProps) {
  const label = ARCH_LABELS[arch];
  const at = `images.${arch}`;
  return (
    <fieldset className="choice arch-image" data-arch={arch}>
      <legend>
        {label} <span className="mono">({arch})</span>
      </legend>
      <CheckboxField
        label={`Enable for ${label}`}
        checked={draft.enabled}
        onChange={(enabled) => {
          onChange({ enabled }, `${at}.url`);
          errors.touched(`${at}.checksum`);
        }}
      />
      <TextField
        label={`Download URL for ${label}`}
        value={draft.url}
        onChange={(url) => onChange({ url }, `${at}.url`)}
        placeholder="https://files.example.com/vm/image.pvmp"
        hint="A direct link to the .pvmp file, reachable without signing in, or a path under /images/ on this portal."
        error={errors.field(`${at}.url`)}
      />
      <TextField
        label={`Checksum (SHA-256) for ${label}`}
        value={draft.checksum}
        onChange={(checksum) => onChange({ checksum }, `${at}.checksum`)}
        hint="Paste the contents of the .sha256.txt file that came with the image."
        error={errors.field(`${at}.checksum`)}
      />
      <VerifyLink client={client} url={draft.url} checksum={draft.checksum} label={label} />
    </fieldset>
  );
}
