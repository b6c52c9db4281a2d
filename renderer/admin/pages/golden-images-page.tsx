import { useState } from 'react';
import type { ImageVersionsAnswer } from '../../../shared/admin-fleet.ts';
import { ARCHES } from '../../../shared/protocol.ts';
import type { AdminClient } from '../api/admin-client.ts';
import { ARCH_LABELS, type GoldenImage, type UserGroup } from '../api/admin-types.ts';
import { ApiErrorNotice, useLoad } from '../components/api-error-notice.tsx';
import { ShortValue, shortHash, shortLink } from '../components/long-text.tsx';
import { SavedNotice, type Notice } from '../components/saved-notice.tsx';
import { GoldenImageForm } from './golden-image-form.tsx';
import { targetLabel } from './golden-image-draft.ts';
import { deletedSentence } from './golden-image-words.ts';
import { ImageVersionFacts } from './image-version-facts.tsx';

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
  // Apart from the images: the page works without the counts, and they change with the fleet.
  const versions = useLoad(() => client.admin<ImageVersionsAnswer>('GET', '/image-versions'));
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [notice, setNotice] = useState<Notice | null>(null);
  const groups = loaded.data?.groups ?? [];
  const images = loaded.data?.images ?? [];

  const done = (next: Notice): void => {
    setEditing({ kind: 'none' });
    setNotice(next);
    loaded.reload();
    versions.reload();
  };

  if ('id' in editing || editing.kind === 'new') {
    const name = 'id' in editing ? editing.name : '';
    return (
      <GoldenImageForm
        key={'id' in editing ? editing.id : 'new'}
        client={client}
        image={'id' in editing ? editing : undefined}
        groups={groups}
        images={images}
        onSaved={(image) => done({ text: `Golden image “${image.name}” saved.` })}
        onDeleted={(answer) =>
          done({
            text: deletedSentence(answer, name, groups),
            warning: answer.strandedGroups.length > 0,
          })
        }
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
      <SavedNotice notice={notice} />
      <ApiErrorNotice error={loaded.error} />
      <ApiErrorNotice error={versions.error} />
      {loaded.data?.images.length === 0 && <p className="empty">No golden images yet.</p>}
      <ul className="cards" aria-label="Golden images">
        {images.map((image) => (
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
              <ImageVersionFacts
                versions={versions.data?.images.find((v) => v.goldenImageId === image.id)}
              />
            </dl>
            <div className="actions">
              <button
                type="button"
                onClick={() => {
                  setNotice(null);
                  setEditing(image);
                }}
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

// One architecture on a card: whether it is on, then its link and checksum, each shortened on
// one line with the whole value in its tooltip and on the clipboard.
function ArchFacts({ label, image }: { label: string; image: GoldenImage['images']['arm64'] }) {
  const hash = image?.checksum ? shortHash(image.checksum) : undefined;
  return (
    <>
      <dt>{label}</dt>
      <dd className="arch-facts">
        <span>{image?.enabled ? 'Enabled' : 'Not enabled'}</span>
        {image?.url && (
          <span className="fact">
            <span className="label">Link</span>
            <ShortValue
              label={`${label} link`}
              value={image.url}
              shown={shortLink(image.url)}
              className="url"
            />
          </span>
        )}
        {hash && (
          <span className="fact">
            <span className="label">SHA-256</span>
            <ShortValue
              label={`${label} checksum`}
              value={hash.hex}
              shown={hash.shown}
              className="hash"
            />
          </span>
        )}
      </dd>
    </>
  );
}
