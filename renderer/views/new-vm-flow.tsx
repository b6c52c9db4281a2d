import { Fragment, type ReactNode } from 'react';
import { assertNever } from '../../shared/assert-never.ts';
import type { InvitationAnswer } from '../../shared/invitation.ts';
import type { InvokePayload, JobPhase } from '../../shared/ipc-contract.ts';
import { BusyStep } from '../components/flow-step.tsx';
import { isCorporateOnlyDecline, type ControlCenterState } from '../model/app-backend.ts';
import { DownloadView, downloadProgress } from './download-view.tsx';
import { ErrorPanel } from './error-panel.tsx';
import { InstallationAssistant } from './installation-assistant.tsx';
import { InvitationView } from './invitation-view.tsx';
import { CancelledStep, RegisteredStep } from './outcome-steps.tsx';

/** What the flow's views report back. */
export interface FlowHandlers {
  readonly onAnswer: (answer: InvitationAnswer) => void;
  readonly onPause: () => void;
  readonly onResume: () => void;
  readonly onCancel: () => void;
  readonly onCreate: (spec: InvokePayload<'assistant:create-vm'>) => void;
  /** Starts the flow again: after a failure, a cancel, or to get the corporate VM after all. */
  readonly onRestart: () => void;
  readonly onDismiss: () => void;
  readonly onOpenSettings: () => void;
  readonly onCopyDetails: (text: string) => Promise<void>;
}

/**
 * The phase the flow shows: a corporate-only decline shows as the blocked assistant, with the way
 * back to the image, and an assistant whose options could not be had shows why it failed.
 */
function shownPhase({ job, assistant }: ControlCenterState): JobPhase {
  if (isCorporateOnlyDecline(job) && assistant?.ok) {
    return { phase: 'assistant', reason: 'declined' };
  }
  if (job.phase === 'assistant' && assistant?.ok === false) {
    return { phase: 'failed', error: assistant.error };
  }
  return job;
}

function step(phase: JobPhase, state: ControlCenterState, on: FlowHandlers): ReactNode {
  switch (phase.phase) {
    case 'idle':
      return null;
    // While the agent works the user only waits; only the policy check can be cancelled.
    case 'checking-policy':
      return (
        <BusyStep
          phase="checking-policy"
          title="Checking your organisation's policy"
          detail="Asking the management portal whether a corporate VM is waiting for this Mac."
          onCancel={on.onCancel}
        />
      );
    case 'verifying':
      return (
        <BusyStep
          phase="verifying"
          title={`Verifying ${phase.image.name}`}
          detail="Comparing the image with the SHA-256 checksum your administrator published."
        />
      );
    case 'unpacking':
      return (
        <BusyStep
          phase="unpacking"
          title={`Unpacking ${phase.image.name}`}
          detail="Writing the VM into your VM folder."
        />
      );
    case 'registering':
      return (
        <BusyStep
          phase="registering"
          title={`Registering ${phase.image.name}`}
          detail="Moving the VM into your VM folder and adding it to your virtual machines."
        />
      );
    case 'creating':
      return (
        <BusyStep
          phase="creating"
          title={`Creating ${phase.vmName}`}
          detail="Setting up the new VM's folder, configuration and disk."
        />
      );
    case 'invited':
      return <InvitationView invitation={phase.invitation} onAnswer={on.onAnswer} />;
    case 'downloading':
    case 'paused':
      return (
        <DownloadView
          imageName={phase.image.name}
          progress={downloadProgress(phase, state.progress, state.resumable)}
          paused={phase.phase === 'paused'}
          onPause={on.onPause}
          onResume={on.onResume}
          onCancel={on.onCancel}
        />
      );
    case 'registered':
      return (
        <RegisteredStep
          vmName={phase.vm.name}
          alreadyRegistered={phase.alreadyRegistered}
          onDone={on.onDismiss}
        />
      );
    case 'assistant':
      // The state waits for the options, so they are here.
      return (
        state.assistant?.ok && (
          <InstallationAssistant
            reason={phase.reason}
            corporateOnly={state.assistant.value.corporateOnly || isCorporateOnlyDecline(state.job)}
            arch={state.agent.arch}
            oses={state.assistant.value.oses}
            defaults={state.assistant.value.defaults}
            onCreate={on.onCreate}
            onGetCorporateVm={on.onRestart}
            onClose={on.onDismiss}
          />
        )
      );
    case 'failed':
      return (
        <ErrorPanel
          {...phase.error}
          onRetry={on.onRestart}
          onOpenSettings={on.onOpenSettings}
          onCopyDetails={on.onCopyDetails}
          onClose={on.onDismiss}
        />
      );
    case 'cancelled':
      return <CancelledStep onRestart={on.onRestart} onClose={on.onDismiss} />;
    default:
      return assertNever(phase);
  }
}

/** Whether a job is under way, so that another "New VM" must wait. */
export function isJobRunning(job: JobPhase): boolean {
  switch (job.phase) {
    case 'checking-policy':
    case 'invited':
    case 'downloading':
    case 'paused':
    case 'verifying':
    case 'unpacking':
    case 'registering':
    case 'creating':
      return true;
    case 'idle':
    case 'registered':
    case 'assistant':
    case 'failed':
    case 'cancelled':
      return false;
    default:
      return assertNever(job);
  }
}

/** Props of the "New VM" flow. */
export interface NewVmFlowProps {
  readonly state: ControlCenterState;
  readonly handlers: FlowHandlers;
}

/** The "New VM" flow: one view per job phase, marked with `data-state` for tests to wait on. */
export function NewVmFlow({ state, handlers }: NewVmFlowProps) {
  const phase = shownPhase(state);
  if (phase.phase === 'idle') return null;
  // Pause and resume keep the same view, so the focus stays on the button that was pressed.
  const stepKey = phase.phase === 'paused' ? 'downloading' : phase.phase;
  return (
    <div className="flow" data-state={phase.phase}>
      <Fragment key={stepKey}>{step(phase, state, handlers)}</Fragment>
    </div>
  );
}
