import { useState } from 'react';
import type { VerifyLinkAnswer, VerifyLinkRequest } from '../../../shared/admin-fleet.ts';
import { formatBytes } from '../../model/format.ts';
import type { AdminApiError, AdminClient } from '../api/admin-client.ts';
import { ApiErrorNotice, toApiError } from '../components/api-error-notice.tsx';
import { CheckboxField } from '../components/choice-fields.tsx';
import { LongText } from '../components/long-text.tsx';

/** Props of the "Verify link" button of one architecture. */
export interface VerifyLinkProps {
  readonly client: AdminClient;
  readonly url: string;
  readonly checksum: string;
  /** The architecture's name, so that each button has its own accessible name. */
  readonly label: string;
}

const yesNo = (value: boolean): string => (value ? 'Yes' : 'No');

/** Asks the portal whether the URL is a direct, resumable link, and optionally checks the hash. */
export function VerifyLink({ client, url, checksum, label }: VerifyLinkProps) {
  const [download, setDownload] = useState(false);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<VerifyLinkAnswer | null>(null);
  const [error, setError] = useState<AdminApiError | null>(null);

  const verify = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setAnswer(null);
    setError(null);
    const body: VerifyLinkRequest = download
      ? { url: url.trim(), checksum: checksum.trim(), download: true }
      : { url: url.trim() };
    try {
      setAnswer(await client.admin<VerifyLinkAnswer>('POST', '/verify-link', body));
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      setBusy(false);
    }
  };

  const blank = url.trim() === '';
  return (
    <div className="verify-link" aria-busy={busy}>
      <div className="actions">
        <button
          type="button"
          onClick={() => void verify()}
          aria-disabled={busy || undefined}
          disabled={blank}
          aria-label={`Verify link for ${label}`}
        >
          {busy ? 'Verifying…' : 'Verify link'}
        </button>
        <CheckboxField
          label="Also download it and compare the checksum"
          checked={download}
          onChange={setDownload}
        />
      </div>
      <ApiErrorNotice error={error} context={{ form: 'verify-link', sent: { url, checksum } }} />
      {answer && <VerifyAnswer answer={answer} />}
    </div>
  );
}

function VerifyAnswer({ answer }: { readonly answer: VerifyLinkAnswer }) {
  const mismatch = answer.checksumMatches === false && answer.sha256 !== undefined;
  // The portal's mismatch sentence quotes both checksums; the page shows them as facts instead.
  const problems = mismatch
    ? answer.problems.filter((problem) => !problem.includes(answer.sha256!))
    : answer.problems;
  const good = answer.problems.length === 0;
  return (
    <div role="status" className="verify-answer">
      {good && <p className="good">The link is good.</p>}
      {mismatch && (
        <p className="field-error">
          The file’s checksum does not match the one given: Macs would refuse this image. Paste the
          checksum of this very file, or link the file that matches it.
        </p>
      )}
      {problems.map((problem) => (
        <p key={problem} className="field-error">
          <LongText text={problem} />
        </p>
      ))}
      <dl className="facts">
        <dt>Direct link</dt>
        <dd>{yesNo(answer.direct)}</dd>
        <dt>Needs signing in</dt>
        <dd>{yesNo(answer.needsAuthentication)}</dd>
        <dt>Resumable (ranges)</dt>
        <dd>{yesNo(answer.supportsRanges)}</dd>
        <dt>Size</dt>
        <dd>{answer.sizeBytes === null ? 'Unknown' : formatBytes(answer.sizeBytes)}</dd>
        <dt>Content type</dt>
        <dd>{answer.contentType ?? 'Unknown'}</dd>
        {answer.checksumMatches !== undefined && (
          <>
            <dt>Checksum matches</dt>
            <dd>{yesNo(answer.checksumMatches)}</dd>
          </>
        )}
        {answer.sha256 !== undefined && (
          <>
            <dt>
              <span className="label">SHA-256</span> of the file
            </dt>
            <dd>
              <code className="hash">{answer.sha256}</code>
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}
