import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { FlowStep } from '../components/flow-step.tsx';
import { formatBytes } from '../model/format.ts';

/** Props of the last step of a successful flow. */
export interface RegisteredStepProps {
  readonly vmName: string;
  /** The golden image had been installed before, so nothing was downloaded. */
  readonly alreadyRegistered: boolean;
  readonly onDone: () => void;
}

/** Says that the new VM is registered; the list below shows it selected. */
export function RegisteredStep({ vmName, alreadyRegistered, onDone }: RegisteredStepProps) {
  return (
    <FlowStep
      phase="registered"
      title={`${vmName} is ready`}
      actions={
        <button type="button" className="primary" onClick={onDone}>
          Done
        </button>
      }
    >
      <p>
        {alreadyRegistered
          ? 'This corporate VM was already on this Mac, so nothing was downloaded. It is selected in the list below.'
          : 'The VM is registered on this Mac and selected in the list below.'}
      </p>
    </FlowStep>
  );
}

/** Props of the step shown after the user cancelled. */
export interface CancelledStepProps {
  readonly keptBytes: number;
  readonly onRestart: () => void;
  readonly onClose: () => void;
}

/** Confirms the cancel and says that what was downloaded is kept for next time. */
export function CancelledStep({ keptBytes, onRestart, onClose }: CancelledStepProps) {
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
      <p>{ERROR_SENTENCES.CANCELLED}</p>
      {keptBytes > 0 && <p>{formatBytes(keptBytes)} is kept on disk.</p>}
    </FlowStep>
  );
}
