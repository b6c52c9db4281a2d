import type {
  ActivityEntry,
  AppState,
  AssistantOptions,
  InvokeChannel,
  InvokePayload,
  InvokeResults,
  JobPhase,
  JobProgress,
  Result,
  Settings,
} from '../../shared/ipc-contract.ts';
import type { InvitationAnswer } from '../../shared/invitation.ts';

/** The agent's state with what its other channels added: progress, events, assistant options. */
export interface ControlCenterState extends AppState {
  /** The last report of the current download; none before the first, or after an invitation. */
  readonly progress: JobProgress | undefined;
  /** The agent's events, oldest first. */
  readonly activity: readonly ActivityEntry[];
  /** The Installation Assistant's options, or why they could not be had, once asked for. */
  readonly assistant: Result<AssistantOptions> | undefined;
}

/** The agent ends a declined invitation with CORPORATE_ONLY when policy allows corporate VMs only. */
export function isCorporateOnlyDecline(job: JobPhase): boolean {
  return job.phase === 'failed' && job.error.code === 'CORPORATE_ONLY';
}

/** Whether the Installation Assistant's options are needed to show this phase. */
export function needsAssistantOptions(job: JobPhase): boolean {
  return job.phase === 'assistant' || isCorporateOnlyDecline(job);
}

/** What the user can do to a VM from the list; `delete` removes it and moves its files away. */
export type VmAction =
  | 'start'
  | 'stop'
  | 'show-in-folder'
  | 'prepare-for-transfer'
  | 'cancel-transfer'
  | 'remove'
  | 'delete';

type Answer<C extends InvokeChannel> = Promise<Result<InvokeResults[C]>>;

/** What the Control Center needs from the agent; the preload and the web host each adapt to it. */
export interface AppBackend {
  // Job commands resolve once the agent has taken them, or with the error it refused them with.
  // Their outcome arrives as a new state, so the views change phase from one source only.
  /** Calls `listener` with the current state at once and on every change; returns unsubscribe. */
  subscribe(listener: (state: ControlCenterState) => void): () => void;
  /** Starts the "New VM" flow: check the policy, then invite or open the assistant. */
  startNewVm(): Answer<'job:start-new-vm'>;
  /** Answers the invitation shown in the `invited` phase. */
  answerInvitation(answer: InvitationAnswer): Answer<'job:answer-invitation'>;
  /** Pauses the running download, keeping what arrived on disk for `resume`. */
  pause(): Answer<'job:pause'>;
  /** Resumes a paused download, or the one an earlier session left behind, where it stopped. */
  resume(): Answer<'job:resume'>;
  /** Cancels the job and deletes its partial download (pause is what keeps it). */
  cancel(): Answer<'job:cancel'>;
  /** Closes a finished, failed or cancelled job and returns to `idle`. */
  dismiss(): Answer<'job:dismiss'>;
  /** Creates a VM from scratch (Installation Assistant) and registers it. */
  createVm(spec: InvokePayload<'assistant:create-vm'>): Answer<'assistant:create-vm'>;
  /** Runs one list action on a VM; the value says where a result went (folder, archive). */
  vmAction(vmId: string, action: VmAction): Promise<Result<string | null>>;
  /** Saves the settings; a changed license key is activated by a check-in that must succeed. */
  saveSettings(settings: Settings): Answer<'settings:save'>;
  /** Checks in now and reports whether a new policy revision arrived. */
  connect(): Answer<'agent:connect'>;
  /** Writes a problem report bundle on this Mac and, when `send`, uploads it to the portal. */
  createReport(send: boolean): Answer<'report:create'>;
}
