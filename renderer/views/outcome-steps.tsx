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

/** Props of the last step of an update. */
export interface UpdatedStepProps {
  readonly vmName: string;
  readonly previousName: string;
  /** False when the previous VM is kept too. */
  readonly previousRemoved: boolean;
  /** Why it was kept, as the agent said; absent from older agents: the policy. */
  readonly keptReason?: string | undefined;
  readonly verifiedSha256?: string | undefined;
  readonly onDone: () => void;
}

/** Says that the new version is registered, and whether the previous VM was removed or kept. */
export function UpdatedStep(props: UpdatedStepProps) {
  const { vmName, previousName, previousRemoved, keptReason, verifiedSha256, onDone } = props;
  return (
    <FlowStep
      phase="updated"
      title={
        !previousRemoved
          ? `${vmName} is ready beside ${previousName}`
          : vmName === previousName
            ? `${vmName} is updated to the new version`
            : `${vmName} replaced ${previousName}`
      }
      actions={
        <button type="button" className="primary" onClick={onDone}>
          Done
        </button>
      }
    >
      {verifiedSha256 !== undefined && (
        <>
          <JobSteps current={JOB_STEPS.length} />
          <ChecksumVerified sha256={verifiedSha256} />
        </>
      )}
      <p>
        {previousRemoved
          ? `The new version is registered and selected in the list below; the previous version was removed from this Mac.`
          : `Both VMs are kept: ${keptReason ?? 'your organisation prevents removing corporate VMs'}. ${previousName} stays on this Mac beside the new version, which is selected in the list below.`}
      </p>
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
