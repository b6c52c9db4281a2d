import type { ErrorCode } from '../../shared/codes.ts';
import type { InvitationAnswer } from '../../shared/invitation.ts';
import type { AppState, SettingsView, VmAction } from './view-types.ts';

/** An error as it crosses into the renderer: a stable code plus the technical details. */
export interface ActionError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
}

/** The answer to a command: success (with extra fields) or an error as data. */
export type ActionResult<T extends object = object> =
  ({ readonly ok: true } & T) | { readonly ok: false; readonly error: ActionError };

/** What the Installation Assistant asks the agent to create. */
export interface NewVmSpec {
  readonly os: string;
  readonly name: string;
  readonly cpus: number;
  readonly memoryMb: number;
  readonly diskSizeBytes: number;
}

/** Receives the whole state each time it changes. */
export type AppStateListener = (state: AppState) => void;

/** What the Control Center needs from the agent; the preload and the web host each adapt to it. */
export interface AppBackend {
  // Job commands resolve once the agent has taken them, or with the error it refused them with.
  // Their outcome arrives as a new AppState, so the views change phase from one source only.
  /** Calls `listener` with the current state at once and on every change; returns unsubscribe. */
  subscribe(listener: AppStateListener): () => void;
  /** Starts the "New VM" flow: check the policy, then invite or open the assistant. */
  startNewVm(): Promise<ActionResult>;
  /** Answers the invitation shown in the `invited` phase. */
  answerInvitation(answer: InvitationAnswer): Promise<ActionResult>;
  /** Pauses the running download, keeping what arrived on disk for `resume`. */
  pause(): Promise<ActionResult>;
  /** Resumes a paused download, or the one an earlier session left behind, where it stopped. */
  resume(): Promise<ActionResult>;
  /** Cancels the job and deletes its partial download (pause is what keeps it). */
  cancel(): Promise<ActionResult>;
  /** Closes a finished, failed or cancelled job and returns to `idle`. */
  dismiss(): Promise<ActionResult>;
  /** Creates a VM from scratch (Installation Assistant) and registers it. */
  createVm(spec: NewVmSpec): Promise<ActionResult>;
  /** Runs one list action on a VM; `message` says where a result went (folder, archive). */
  vmAction(vmId: string, action: VmAction): Promise<ActionResult<{ readonly message?: string }>>;
  /** Saves the settings; a changed license key is activated by a check-in that must succeed. */
  saveSettings(settings: SettingsView): Promise<ActionResult>;
  /** Checks in now and reports whether a new policy revision arrived. */
  connect(): Promise<ActionResult<{ readonly policyChanged: boolean }>>;
}
