import { useState } from 'react';
import { ARCHES } from '../../../shared/protocol.ts';
import type { GoldenImageDeleted } from '../../../shared/admin-api.ts';
import type { AdminClient } from '../api/admin-client.ts';
import { ARCH_LABELS, type GoldenImage, type UserGroup } from '../api/admin-types.ts';
import { ApiErrorNotice, useLoad } from '../components/api-error-notice.tsx';
import { GoldenImageForm } from './golden-image-form.tsx';
import { targetLabel } from './golden-image-draft.ts';

/** Props of the Golden Images page. */
export interface GoldenImagesPageProps {
  readonly client: AdminClient;
}

type Editing = { readonly kind: 'none' } | { readonly kind: 'new' } | GoldenImage;

interface PageData {
  readonly images: readonly GoldenImage[];
  readonly groups: readonly UserGroup[];
}

/** The golden images as cards, with the form to create, edit or delete one. */
export function GoldenImagesPage({ client }: GoldenImagesPageProps) {
  const loaded = useLoad<PageData>(async () => {
    const [images, groups] = await Promise.all([
      client.admin<{ goldenImages: GoldenImage[] }>('GET', '/golden-images'),
      client.admin<{ userGroups: UserGroup[] }>('GET', '/user-groups'),
    ]);
    return { images: images.goldenImages, groups: groups.userGroups };
  });
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [notice, setNotice] = useState<string | null>(null);
  const groups = loaded.data?.groups ?? [];

  const done = (sentence: string): void => {
    setEditing({ kind: 'none' });
    setNotice(sentence);
    loaded.reload();
  };
  const deleted = (answer: GoldenImageDeleted): void =>
    done([`Golden image “${answer.deleted}” deleted.`, answer.warning].filter(Boolean).join(' '));

  if ('id' in editing || editing.kind === 'new') {
    return (
      <GoldenImageForm
        key={'id' in editing ? editing.id : 'new'}
        client={client}
        image={'id' in editing ? editing : undefined}
        groups={groups}
        onSaved={(image) => done(`Golden image “${image.name}” saved.`)}
        onDeleted={deleted}
        onCancel={() => setEditing({ kind: 'none' })}
      />
    );
  }
  return (
    <>
      <p className="hint">
        The corporate VMs your users are offered. Each golden image holds up to one image for Apple
        silicon Macs and one for Intel Macs, and is assigned to user groups.
      </p>
      <div className="actions page-actions">
        <button type="button" className="primary" onClick={() => setEditing({ kind: 'new' })}>
          Create Golden Image
        </button>
      </div>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <ApiErrorNotice error={loaded.error} />
      {loaded.data?.images.length === 0 && <p className="empty">No golden images yet.</p>}
      <ul className="cards" aria-label="Golden images">
        {loaded.data?.images.map((image) => (
          <li key={image.id} className="card image-card" aria-labelledby={`image-${image.id}`}>
            <h2 id={`image-${image.id}`}>{image.name}</h2>
            {image.description && <p>{image.description}</p>}
            <dl className="facts">
              {ARCHES.map((arch) => (
                <ArchFacts key={arch} label={ARCH_LABELS[arch]} image={image.images[arch]} />
              ))}
              <dt>Assigned to</dt>
              <dd>
                {image.assignedTo.length === 0
                  ? 'No group'
                  : image.assignedTo.map((t) => targetLabel(t, groups)).join(', ')}
              </dd>
            </dl>
            <div className="actions">
              <button
                type="button"
                onClick={() => setEditing(image)}
                aria-label={`Edit ${image.name}`}
              >
                Edit
              </button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

function ArchFacts({ label, image }: { label: string; image: GoldenImage['images']['arm64'] }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {image?.enabled ? 'Enabled' : 'Not enabled'}
        {image?.url && <span className="mono url"> {image.url}</span>}
        {image?.checksum && (
          <span className="mono checksum"> SHA-256 {shortHash(image.checksum)}</span>
        )}
      </dd>
    </>
  );
}

// The hex digits, shortened for the card; a pasted `shasum` line also names a file on the
// admin's Mac, which the card need not show.
function shortHash(checksum: string): string {
  const hex = /[0-9a-f]{64}/i.exec(checksum)?.[0];
  return hex ? `${hex.slice(0, 12)}…${hex.slice(-4)}` : checksum;
}
