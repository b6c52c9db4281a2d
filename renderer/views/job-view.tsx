import { useId, useState, type MouseEvent } from 'react';
import { assertNever } from '../../shared/assert-never.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { FlowStep } from '../components/flow-step.tsx';
import { formatBytes } from '../model/format.ts';
import { DownloadView, type DownloadProgress } from './download-view.tsx';
import { ChecksumVerified, JobSteps, stepOf, type RunningJobPhase } from './job-steps.tsx';

/** Props of the corporate VM job while it runs. */
export interface JobViewProps {
  readonly phase: RunningJobPhase;
  /** The download's progress; used while downloading or paused. */
  readonly progress: DownloadProgress;
  readonly onPause: () => void;
  readonly onResume: () => void;
  readonly onCancel: () => void;
}

function titleOf(phase: RunningJobPhase): string {
  switch (phase.phase) {
    case 'checking-policy':
      return "Checking your organisation's policy";
    case 'downloading':
      return `Downloading ${phase.image.name}`;
    case 'paused':
      return `Download of ${phase.image.name} paused`;
    case 'verifying':
      return `Verifying ${phase.image.name}`;
    case 'unpacking':
      return `Unpacking ${phase.image.name}`;
    case 'registering':
      return `Registering ${phase.image.name}`;
    default:
      return assertNever(phase);
  }
}

function hintOf(phase: RunningJobPhase['phase']): string {
  switch (phase) {
    case 'checking-policy':
      return 'Asking the management portal whether a corporate VM is waiting for this Mac. Pause is possible once the download runs.';
    case 'downloading':
      return 'The image is checked as it arrives. Pause keeps what has arrived; Cancel deletes it.';
    case 'paused':
      return 'What has arrived is kept: Resume continues from the same byte, Cancel deletes it.';
    case 'verifying':
    case 'unpacking':
    case 'registering':
      return 'The last steps take a moment and cannot be paused or cancelled.';
    default:
      return assertNever(phase);
  }
}

// Said once as the step changes; the title keeps the focus only when the view first appears.
const ANNOUNCED: Partial<Record<RunningJobPhase['phase'], string>> = {
  paused: 'Download paused.',
  verifying: 'Download finished. Verifying the checksum.',
  unpacking: 'Checksum verified. Unpacking the VM.',
  registering: 'Registering the VM.',
};

/**
 * The corporate VM job from the policy check to registering, as one view with a step indicator:
 * it stays in place from phase to phase, so the keyboard focus stays on the control pressed.
 */
export function JobView({ phase, progress, onPause, onResume, onCancel }: JobViewProps) {
  const hintId = useId();
  const [confirming, setConfirming] = useState(false);
  const paused = phase.phase === 'paused';
  const canPause = phase.phase === 'downloading' || paused;
  // A policy check after a pause is the resumed download's: cancelling it deletes the bytes too.
  const [heldDownload, setHeldDownload] = useState(false);
  if (canPause && !heldDownload) setHeldDownload(true);
  const canCancel = canPause || phase.phase === 'checking-policy';
  const imageName = 'image' in phase ? phase.image.name : 'the corporate VM';

  // aria-disabled rather than disabled: a disabled button drops the focus to the page.
  const guarded = (allowed: boolean, action: () => void) => (event: MouseEvent) => {
    event.preventDefault();
    if (allowed) action();
  };
  const cancel = () => (heldDownload ? setConfirming(true) : onCancel());

  return (
    <FlowStep
      phase={phase.phase}
      title={titleOf(phase)}
      actions={
        <>
          <button
            type="button"
            className="primary"
            aria-disabled={canPause ? undefined : true}
            aria-describedby={canPause ? undefined : hintId}
            onClick={guarded(canPause, paused ? onResume : onPause)}
          >
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button
            type="button"
            aria-disabled={canCancel ? undefined : true}
            aria-describedby={canCancel ? undefined : hintId}
            onClick={guarded(canCancel, cancel)}
          >
            Cancel
          </button>
        </>
      }
    >
      <JobSteps current={stepOf(phase.phase)} paused={paused} />
      {'verifiedSha256' in phase && <ChecksumVerified sha256={phase.verifiedSha256} />}
      {canPause ? (
        <DownloadView progress={progress} paused={paused} />
      ) : (
        <progress className="busy-progress" aria-label={titleOf(phase)} />
      )}
      <p id={hintId} className="hint">
        {hintOf(phase.phase)}
      </p>
      <p className="visually-hidden" role="status">
        {ANNOUNCED[phase.phase] ?? ''}
      </p>
      {confirming && canCancel && (
        <ConfirmDialog
          title={`Cancel the download of ${imageName}?`}
          onDismiss={() => setConfirming(false)}
          choices={[
            {
              label: 'Cancel Download',
              tone: 'danger',
              onChoose: () => {
                setConfirming(false);
                onCancel();
              },
            },
            {
              label: paused ? 'Keep Paused' : 'Keep Downloading',
              initial: true,
              onChoose: () => setConfirming(false),
            },
          ]}
        >
          <p>
            {progress.transferred > 0
              ? `The ${formatBytes(progress.transferred)} downloaded so far will be deleted, and a new start downloads the whole image again.`
              : 'What has been downloaded so far will be deleted, and a new start downloads the whole image again.'}
          </p>
          <p>
            {paused
              ? 'To finish it later, leave the download paused.'
              : 'To stop for a while and keep what has arrived, choose Pause instead.'}
          </p>
        </ConfirmDialog>
      )}
    </FlowStep>
  );
}
