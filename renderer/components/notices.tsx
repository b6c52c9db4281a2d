import type { ResumableDownload } from '../../shared/ipc-contract.ts';
import { formatTransferred } from '../model/format.ts';

/** Props of the banner about a partial download found at start-up. */
export interface InterruptedBannerProps {
  readonly download: ResumableDownload;
  readonly onResume: () => void;
  readonly onDismiss: () => void;
}

/** Offers to pick up a download that an earlier session left unfinished. */
export function InterruptedBanner({ download, onResume, onDismiss }: InterruptedBannerProps) {
  const reached = formatTransferred({ transferred: download.bytes, total: download.total });
  return (
    <section className="banner" aria-labelledby="interrupted-title" data-notice="interrupted">
      <div className="banner-text">
        <h2 id="interrupted-title" className="banner-title">
          Unfinished download found
        </h2>
        <p>
          The download of {download.image?.name ?? 'the corporate VM'} stopped at {reached}. Resume
          it from there, or leave it for later.
        </p>
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={onResume}>
          Resume download
        </button>
        <button type="button" onClick={onDismiss}>
          Not now
        </button>
      </div>
    </section>
  );
}

/** Props of the note that the built-in demo portal is in use. */
export interface EmbeddedPortalNoticeProps {
  readonly portalUrl: string;
  readonly onOpenSettings: () => void;
}

/** Says that the agent talks to the demo portal running inside the app, and how to change it. */
export function EmbeddedPortalNotice({ portalUrl, onOpenSettings }: EmbeddedPortalNoticeProps) {
  return (
    <section className="banner banner-quiet" aria-label="Portal" data-notice="embedded-portal">
      <p className="banner-text">
        Connected to the demo portal built into Provisim ({portalUrl}). To use your
        organisation&apos;s portal, enter its address in Settings.
      </p>
      <div className="actions">
        <button type="button" onClick={onOpenSettings}>
          Open Settings
        </button>
      </div>
    </section>
  );
}
