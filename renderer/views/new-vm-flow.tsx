import { Fragment, useLayoutEffect, useRef, type ReactNode } from 'react';
import { assertNever } from '../../shared/assert-never.ts';
import type { InvitationAnswer } from '../../shared/invitation.ts';
import type { InvokePayload, JobPhase, Result } from '../../shared/ipc-contract.ts';
import { BusyStep } from '../components/flow-step.tsx';
import { isCorporateOnlyDecline, type ControlCenterState } from '../model/app-backend.ts';
import { downloadProgress, type DownloadProgress } from './download-view.tsx';
import { ErrorPanel } from './error-panel.tsx';
import { InstallationAssistant } from './installation-assistant.tsx';
import { InvitationView } from './invitation-view.tsx';
import type { RunningJobPhase } from './job-steps.tsx';
import { JobView } from './job-view.tsx';
import { CancelledStep, RegisteredStep, UpdatedStep } from './outcome-steps.tsx';
import { UpdateOfferView } from './update-offer-view.tsx';

/** What the flow's views report back. */
export interface FlowHandlers {
  readonly onAnswer: (answer: InvitationAnswer) => void;
  readonly onPause: () => void;
  readonly onResume: () => void;
  readonly onCancel: () => void;
  /** Creates the VM; the assistant shows a refusal itself, beside what it concerns. */
  readonly onCreate: (spec: InvokePayload<'assistant:create-vm'>) => Promise<Result<unknown>>;
  /** Starts the flow again: after a failure, a cancel, or to get the corporate VM after all. */
  readonly onRestart: () => void;
  readonly onDismiss: () => void;
  readonly onOpenSettings: () => void;
  readonly onCopyDetails: (text: string) => Promise<void>;
}

/**
 * The phase the flow shows: a corporate-only decline shows as the blocked assistant, with the way
 * back to the image, an assistant whose options could not be had shows why it failed, and the
 * outcome of a VM removed since shows nothing.
 */
function shownPhase({ job, assistant, vms }: ControlCenterState): JobPhase {
  if (isCorporateOnlyDecline(job) && assistant?.ok) {
    return { phase: 'assistant', reason: 'declined' };
  }
  if (job.phase === 'assistant' && assistant?.ok === false) {
    return { phase: 'failed', error: assistant.error };
  }
  const finished = job.phase === 'registered' || job.phase === 'updated';
  if (finished && !vms.some((vm) => vm.uuid === job.vm.uuid)) {
    return { phase: 'idle' };
  }
  return job;
}

const NO_PROGRESS: DownloadProgress = { transferred: 0, total: null, rate: 0, etaSeconds: null };

function jobProgress(phase: RunningJobPhase, state: ControlCenterState): DownloadProgress {
  if (phase.phase === 'downloading' || phase.phase === 'paused') {
    return downloadProgress(phase, state.progress, state.resumable);
  }
  return state.progress ?? NO_PROGRESS;
}

function assistant(
  reason: Extract<JobPhase, { phase: 'assistant' }>['reason'],
  state: ControlCenterState,
  on: FlowHandlers,
  creating = false,
): ReactNode {
  const options = state.assistant?.ok ? state.assistant.value : undefined;
  return (
    options && (
      <InstallationAssistant
        reason={reason}
        corporateOnly={options.corporateOnly || isCorporateOnlyDecline(state.job)}
        blockedReason={options.blockedReason}
        arch={state.agent.arch}
        oses={options.oses}
        defaults={options.defaults}
        takenNames={state.vms.map((vm) => vm.name)}
        hasCorporateVm={state.vms.some((vm) => vm.corporate)}
        creating={creating}
        onCreate={on.onCreate}
        onGetCorporateVm={on.onRestart}
        onClose={on.onDismiss}
      />
    )
  );
}

function jobView(phase: RunningJobPhase, state: ControlCenterState, on: FlowHandlers): ReactNode {
  return (
    <JobView
      phase={phase}
      progress={jobProgress(phase, state)}
      onPause={on.onPause}
      onResume={on.onResume}
      onCancel={on.onCancel}
    />
  );
}

function step(phase: JobPhase, state: ControlCenterState, on: FlowHandlers): ReactNode {
  switch (phase.phase) {
    case 'idle':
      return null;
    case 'checking-policy':
      return jobView({ phase: 'checking-policy' }, state, on);
    case 'downloading':
    case 'paused':
    case 'verifying':
    case 'unpacking':
    case 'registering':
      return jobView(phase, state, on);
    case 'creating':
      // Made from the assistant on screen, the assistant stays and waits with its form.
      if (state.assistant?.ok) return assistant('no-image', state, on, true);
      return (
        <BusyStep
          phase="creating"
          title={`Creating ${phase.vmName}`}
          detail="Setting up the new VM's folder, configuration and disk."
        />
      );
    case 'invited': {
      const { invitation } = phase;
      return invitation.update ? (
        <UpdateOfferView
          invitation={invitation}
          update={invitation.update}
          onAnswer={on.onAnswer}
        />
      ) : (
        <InvitationView invitation={invitation} onAnswer={on.onAnswer} />
      );
    }
    case 'registered': {
      const { source } = phase.vm;
      return (
        <RegisteredStep
          vmName={phase.vm.name}
          alreadyRegistered={phase.alreadyRegistered}
          verifiedSha256={source.kind === 'golden-image' ? source.sha256 : undefined}
          onDone={on.onDismiss}
          onCreateOwn={() => on.onAnswer('decline')}
        />
      );
    }
    case 'updated': {
      const { source } = phase.vm;
      return (
        <UpdatedStep
          vmName={phase.vm.name}
          previousName={phase.previous.name}
          previousRemoved={phase.previousRemoved}
          keptReason={phase.keptReason}
          verifiedSha256={source.kind === 'golden-image' ? source.sha256 : undefined}
          onDone={on.onDismiss}
        />
      );
    }
    case 'assistant':
      // The state waits for the options, so they are here.
      return assistant(phase.reason, state, on);
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
    case 'updated':
    case 'assistant':
    case 'failed':
    case 'cancelled':
      return false;
    default:
      return assertNever(job);
  }
}

// The phases of the job's own view, from the policy check to registering.
const JOB_VIEW_PHASES: ReadonlySet<JobPhase['phase']> = new Set([
  'checking-policy',
  'downloading',
  'paused',
  'verifying',
  'unpacking',
  'registering',
]);

// The view a phase is shown in: phases that share one stay in place, and so does the focus.
function viewKey(phase: JobPhase, state: ControlCenterState): string {
  if (JOB_VIEW_PHASES.has(phase.phase)) return 'job';
  if (phase.phase === 'creating' && state.assistant?.ok) return 'assistant';
  return phase.phase;
}

/** The flow's frame; when it closes with the focus inside (Done, Close), the section gets it. */
function FlowFrame({ phase, children }: { readonly phase: string; readonly children: ReactNode }) {
  const frame = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = frame.current;
    // Runs as the frame is removed, while the focused button is still in the page.
    return () => {
      if (element?.contains(document.activeElement)) element.closest('main')?.focus();
    };
  }, []);
  return (
    <div className="flow" data-state={phase} ref={frame}>
      {children}
    </div>
  );
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
  return (
    <FlowFrame phase={phase.phase}>
      <Fragment key={viewKey(phase, state)}>{step(phase, state, handlers)}</Fragment>
    </FlowFrame>
  );
}
