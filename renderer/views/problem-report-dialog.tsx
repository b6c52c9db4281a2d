import { useState } from 'react';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { IpcError, ProblemReport, Result } from '../../shared/ipc-contract.ts';
import { ConfirmDialog, type DialogChoice } from '../components/confirm-dialog.tsx';
import { formatBytes } from '../model/format.ts';

/** Props of Help → Send Problem Report. */
export interface ProblemReportDialogProps {
  /** Writes the bundle and, when `send`, uploads it; a failed upload is an ok answer with sendError. */
  readonly onCreate: (send: boolean) => Promise<Result<ProblemReport>>;
  readonly onClose: () => void;
}

type Step =
  | { readonly kind: 'ask' | 'creating' }
  | { readonly kind: 'created'; readonly report: ProblemReport }
  | { readonly kind: 'failed'; readonly error: IpcError };

/** What a report holds, as the dialog lists it before anything is collected. */
export const REPORT_CONTENTS = [
  'The logs of the agent and of Control Center',
  'The settings, with the license key redacted and no proxy password',
  'The events the agent recorded, sent or still waiting',
  'This Mac’s environment: macOS and Provisim versions, architecture, free disk space, virtualization backend',
  'Network checks: whether the portal, and the proxy if there is one, can be reached',
] as const;

interface AskTextProps {
  readonly send: boolean;
  readonly onSend: (on: boolean) => void;
  readonly busy: boolean;
}

function AskText({ send, onSend, busy }: AskTextProps) {
  return (
    <>
      <p>
        A problem report is one file on this Mac that helps your administrator see what went wrong.
        It holds:
      </p>
      <ul className="report-contents">
        {REPORT_CONTENTS.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={send}
          disabled={busy}
          onChange={(event) => onSend(event.target.checked)}
        />
        Send to my administrator
      </label>
      <p className="hint">
        {send
          ? 'The report is uploaded to your organisation’s portal, and kept on this Mac too.'
          : 'The report stays on this Mac; you can send its file yourself.'}
      </p>
    </>
  );
}

function CreatedText({ report }: { readonly report: ProblemReport }) {
  return (
    <>
      <dl className="facts">
        <dt>Report ID</dt>
        <dd className="mono">{report.id}</dd>
        <dt>File</dt>
        <dd className="mono report-path">{report.path}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(report.sizeBytes)}</dd>
      </dl>
      {report.sent && (
        <p className="report-sent">
          Sent to your administrator. Tell them the report ID so that they find yours.
        </p>
      )}
      {!report.sent && report.sendError === null && (
        <p>
          Not sent: the report stays on this Mac. Send its file to your administrator if they ask
          for it.
        </p>
      )}
      {report.sendError !== null && (
        <p className="inline-error" data-error-code={report.sendError.code}>
          Not sent. {ERROR_SENTENCES[report.sendError.code]}
        </p>
      )}
    </>
  );
}

/** Explains what a problem report holds, creates it, then says where it is and whether it was sent. */
export function ProblemReportDialog({ onCreate, onClose }: ProblemReportDialogProps) {
  const [send, setSend] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'ask' });

  async function create() {
    setStep({ kind: 'creating' });
    // A backend that throws instead of answering is told like one that did not answer.
    const result = await Promise.resolve(send)
      .then(onCreate)
      .catch((error: unknown): Result<never> => ({
        ok: false,
        error: { code: 'HOST_UNREACHABLE', message: String(error), retryable: true },
      }));
    setStep(
      result.ok
        ? { kind: 'created', report: result.value }
        : { kind: 'failed', error: result.error },
    );
  }

  const close: DialogChoice = { label: 'Close', onChoose: onClose, initial: true };
  const choices: readonly DialogChoice[] =
    step.kind === 'created'
      ? [{ ...close, tone: 'primary' }]
      : step.kind === 'failed'
        ? [{ label: 'Try Again', tone: 'primary', onChoose: () => void create() }, close]
        : [
            {
              label: 'Create Report',
              tone: 'primary',
              disabled: step.kind === 'creating',
              onChoose: () => void create(),
            },
            { label: 'Cancel', initial: true, onChoose: onClose },
          ];
  return (
    <ConfirmDialog
      title="Send Problem Report"
      state={step.kind}
      onDismiss={onClose}
      choices={choices}
    >
      {(step.kind === 'ask' || step.kind === 'creating') && (
        <AskText send={send} onSend={setSend} busy={step.kind === 'creating'} />
      )}
      {step.kind === 'created' && <CreatedText report={step.report} />}
      {step.kind === 'failed' && (
        <p className="inline-error" data-error-code={step.error.code}>
          No report was created. {ERROR_SENTENCES[step.error.code]}
        </p>
      )}
      <p role="status" className="visually-hidden">
        {step.kind === 'creating' && 'Creating the problem report…'}
        {step.kind === 'created' && `Problem report ${step.report.id} created.`}
      </p>
    </ConfirmDialog>
  );
}
