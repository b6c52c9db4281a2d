import { Fragment, type ReactNode } from 'react';
import type { InvitationAnswer } from '../../shared/invitation.ts';
import type { NewVmSpec } from '../model/app-backend.ts';
import { assertNever, type JobPhase } from '../model/view-types.ts';
import { BusyPhaseStep } from './busy-steps.tsx';
import { DownloadView } from './download-view.tsx';
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
  readonly onCreate: (spec: NewVmSpec) => void;
  /** Starts the flow again: after a failure, a cancel, or to get the corporate VM after all. */
  readonly onRestart: () => void;
  readonly onDismiss: () => void;
  readonly onOpenSettings: () => void;
  readonly onCopyDetails: (text: string) => Promise<void>;
}

function step(phase: Exclude<JobPhase, { kind: 'idle' }>, on: FlowHandlers): ReactNode {
  switch (phase.kind) {
    case 'checking-policy':
    case 'verifying':
    case 'unpacking':
    case 'registering':
    case 'creating':
      return <BusyPhaseStep phase={phase} onCancel={on.onCancel} />;
    case 'invited':
      return <InvitationView invitation={phase.invitation} onAnswer={on.onAnswer} />;
    case 'downloading':
    case 'paused':
      return (
        <DownloadView
          imageName={phase.imageName}
          progress={phase.progress}
          paused={phase.kind === 'paused'}
          onPause={on.onPause}
          onResume={on.onResume}
          onCancel={on.onCancel}
        />
      );
    case 'registered':
      return (
        <RegisteredStep
          vmName={phase.vmName}
          alreadyRegistered={phase.alreadyRegistered}
          onDone={on.onDismiss}
        />
      );
    case 'assistant':
      return (
        <InstallationAssistant
          reason={phase.reason}
          corporateOnly={phase.corporateOnly}
          arch={phase.arch}
          oses={phase.oses}
          defaults={phase.defaults}
          onCreate={on.onCreate}
          onGetCorporateVm={on.onRestart}
          onClose={on.onDismiss}
        />
      );
    case 'failed':
      return (
        <ErrorPanel
          code={phase.code}
          message={phase.message}
          retryable={phase.retryable}
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
export function isJobRunning(phase: JobPhase): boolean {
  switch (phase.kind) {
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
      return assertNever(phase);
  }
}

/** Props of the "New VM" flow. */
export interface NewVmFlowProps {
  readonly phase: JobPhase;
  readonly handlers: FlowHandlers;
}

/** The "New VM" flow: one view per job phase, marked with `data-state` for tests to wait on. */
export function NewVmFlow({ phase, handlers }: NewVmFlowProps) {
  if (phase.kind === 'idle') return null;
  // Pause and resume keep the same view, so the focus stays on the button that was pressed.
  const stepKey = phase.kind === 'paused' ? 'downloading' : phase.kind;
  return (
    <div className="flow" data-state={phase.kind}>
      <Fragment key={stepKey}>{step(phase, handlers)}</Fragment>
    </div>
  );
}
