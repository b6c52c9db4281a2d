import { useState } from 'react';
import { ERROR_SENTENCES, type ErrorCode } from '../../shared/codes.ts';
import { FlowStep } from '../components/flow-step.tsx';

// Codes whose cure is a setting: the key, the portal address, the CA file, the VM folder or
// the virtualization backend.
const SETTINGS_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PARALLELS_NOT_INSTALLED',
  'LICENSE_UNKNOWN',
  'LICENSE_EXPIRED',
  'LICENSE_REVOKED',
  'PORTAL_UNREACHABLE',
  'TLS_UNTRUSTED',
  'REGISTRATION_FAILED',
]);

/** Whether Settings is where the user fixes this error. */
export function isSettingsError(code: ErrorCode): boolean {
  return SETTINGS_CODES.has(code);
}

/** Props of the panel that explains a failed job. */
export interface ErrorPanelProps {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly onRetry: () => void;
  readonly onOpenSettings: () => void;
  /** Puts the text on the clipboard; rejects when that is not allowed. */
  readonly onCopyDetails: (text: string) => Promise<void>;
  readonly onClose: () => void;
}

/** Says what went wrong in words a user can act on, with the actions that help. */
export function ErrorPanel(props: ErrorPanelProps) {
  const { code, message, retryable, onRetry, onOpenSettings, onCopyDetails, onClose } = props;
  const [copyStatus, setCopyStatus] = useState('');
  const details = `${code}: ${message}`;
  const settingsFirst = isSettingsError(code) && !retryable;

  function copy() {
    onCopyDetails(details).then(
      () => setCopyStatus('Details copied.'),
      () => setCopyStatus('Copying was not allowed; select the details below instead.'),
    );
  }

  const settingsButton = isSettingsError(code) && (
    <button
      type="button"
      className={settingsFirst ? 'primary' : undefined}
      onClick={onOpenSettings}
    >
      Open Settings
    </button>
  );
  return (
    <FlowStep
      phase="failed"
      tone="error"
      title="The VM could not be set up"
      actions={
        <>
          {settingsFirst && settingsButton}
          <button type="button" className={settingsFirst ? undefined : 'primary'} onClick={onRetry}>
            Try again
          </button>
          {!settingsFirst && settingsButton}
          <button type="button" onClick={copy}>
            Copy details
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <p className="error-sentence" data-error-code={code}>
        {ERROR_SENTENCES[code]}
      </p>
      <details className="error-details">
        <summary>Details</summary>
        <pre>{details}</pre>
      </details>
      <p role="status" className="hint">
        {copyStatus}
      </p>
    </FlowStep>
  );
}
