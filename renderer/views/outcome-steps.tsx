import { FlowStep } from '../components/flow-step.tsx';
import { ChecksumVerified, JOB_STEPS, JobSteps } from './job-steps.tsx';

/** Props of the last step of a successful flow. */
export interface RegisteredStepProps {
  readonly vmName: string;
  /** The golden image had been installed before, so nothing was downloaded. */
  readonly alreadyRegistered: boolean;
  /** The checksum the downloaded image matched; absent for a VM made on this Mac. */
  readonly verifiedSha256?: string | undefined;
  readonly onDone: () => void;
  /** Opens the Installation Assistant, offered when the corporate VM was already here. */
  readonly onCreateOwn: () => void;
}

/** Says that the new VM is registered; the list below shows it selected. */
export function RegisteredStep(props: RegisteredStepProps) {
  const { vmName, alreadyRegistered, verifiedSha256, onDone, onCreateOwn } = props;
  return (
    <FlowStep
      phase="registered"
      title={`${vmName} is ready`}
      actions={
        <>
          <button type="button" className="primary" onClick={onDone}>
            Done
          </button>
          {alreadyRegistered && (
            <button type="button" onClick={onCreateOwn}>
              Open Installation Assistant
            </button>
          )}
        </>
      }
    >
      {verifiedSha256 !== undefined && !alreadyRegistered && (
        <>
          <JobSteps current={JOB_STEPS.length} />
          <ChecksumVerified sha256={verifiedSha256} />
        </>
      )}
      <p>
        {alreadyRegistered
          ? 'This corporate VM was already on this Mac, so nothing was downloaded. It is selected in the list below.'
          : 'The VM is registered on this Mac and selected in the list below.'}
      </p>
      {alreadyRegistered && (
        <p className="hint">To create another VM yourself, open the Installation Assistant.</p>
      )}
    </FlowStep>
  );
}

/** Props of the step shown after the user cancelled. */
export interface CancelledStepProps {
  readonly onRestart: () => void;
  readonly onClose: () => void;
}

/** Confirms the cancel: unlike a pause, it deleted what had been downloaded. */
export function CancelledStep({ onRestart, onClose }: CancelledStepProps) {
  return (
    <FlowStep
      phase="cancelled"
      title="Cancelled"
      actions={
        <>
          <button type="button" className="primary" onClick={onRestart}>
            Start again
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <p>
        The download was cancelled and what had arrived was deleted, so starting again downloads the
        whole image. To stop for a while and keep the download, use Pause instead.
      </p>
    </FlowStep>
  );
}
