import { useState } from 'react';
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

/** Where the tab remembers that the note was hidden: for this session only. */
export const DEMO_NOTICE_HIDDEN_KEY = 'provisim.demo-portal-notice-hidden';

// Storage may be refused (a sandboxed page): then the note just shows again.
function readHidden(): boolean {
  try {
    return sessionStorage.getItem(DEMO_NOTICE_HIDDEN_KEY) === '1';
  } catch {
    return false;
  }
}

function rememberHidden(): void {
  try {
    sessionStorage.setItem(DEMO_NOTICE_HIDDEN_KEY, '1');
  } catch {
    // Hidden until the view is shown again.
  }
}

/** One line saying the agent talks to the demo portal inside the app; it can be hidden. */
export function EmbeddedPortalNotice({ portalUrl, onOpenSettings }: EmbeddedPortalNoticeProps) {
  const [hidden, setHidden] = useState(readHidden);
  if (hidden) return null;
  return (
    <section className="banner-compact" aria-label="Portal" data-notice="embedded-portal">
      <p className="banner-text">
        Connected to the demo portal built into Provisim
        <span className="banner-detail"> at {new URL(portalUrl, 'http://localhost').host}</span>.
      </p>
      <button type="button" className="link" onClick={onOpenSettings}>
        Use your organisation&apos;s portal…
      </button>
      <button
        type="button"
        className="banner-close"
        aria-label="Hide this note"
        onClick={() => {
          rememberHidden();
          setHidden(true);
        }}
      >
        <span aria-hidden="true">×</span>
      </button>
    </section>
  );
}
