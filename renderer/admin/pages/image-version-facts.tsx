import type { ImageVersions } from '../../../shared/admin-fleet.ts';
import { shortVersion } from '../api/fleet-words.ts';

/** Props of a golden image card's version facts. */
export interface ImageVersionFactsProps {
  /** What the portal counted for this image; undefined until loaded (or when it failed). */
  readonly versions: ImageVersions | undefined;
}

/**
 * How many Macs run the image's current version and how many an older one (and which), as a
 * term and its description for the card's facts.
 */
export function ImageVersionFacts({ versions }: ImageVersionFactsProps) {
  if (!versions) return null;
  const { macs, older } = versions;
  const onOlder = macs.previous + macs['update-offered'];
  const total = macs.current + onOlder + macs.unknown;
  return (
    <>
      <dt>Macs with it</dt>
      <dd className="image-versions">
        {total === 0 ? (
          'None yet'
        ) : (
          <>
            <span data-count="current">{macsWord(macs.current)} on the current version</span>
            {' · '}
            <span data-count="older">
              {onOlder} on an older one
              {macs['update-offered'] > 0 && ` (${macs['update-offered']} offered the update)`}
            </span>
            {macs.unknown > 0 && (
              <>
                {' · '}
                <span data-count="unknown">{macs.unknown} on a version not reported</span>
              </>
            )}
          </>
        )}
        {older.length > 0 && (
          <span className="hint">
            {' '}
            Older versions:{' '}
            {older.map((v) => `${shortVersion(v.sha256)} on ${macsWord(v.macs)}`).join(', ')}
          </span>
        )}
      </dd>
    </>
  );
}

function macsWord(count: number): string {
  return count === 1 ? '1 Mac' : `${count} Macs`;
}
