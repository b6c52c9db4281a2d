import type { ErrorCode } from '../../shared/codes.ts';
import type { Invitation } from '../../shared/invitation.ts';
import type { AgentEventType, Arch } from '../../shared/protocol.ts';

/** How far a transfer (download or unpacking) has come; `rate` is in bytes per second. */
export interface Progress {
  readonly transferred: number;
  readonly total?: number;
  readonly rate: number;
  readonly etaSeconds?: number;
}

/** A guest operating system the Installation Assistant offers. */
export interface GuestOsOption {
  readonly id: string;
  readonly label: string;
}

/** Why the Installation Assistant is open. */
export type AssistantReason = 'declined' | 'no-image';

/** What the Installation Assistant proposes before the user changes anything. */
export interface AssistantDefaults {
  readonly cpus: number;
  readonly memoryMb: number;
  readonly diskSizeBytes: number;
}

/** Where the "New VM" job stands; the renderer shows one view per kind. */
export type JobPhase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'checking-policy' }
  | { readonly kind: 'invited'; readonly invitation: Invitation }
  | { readonly kind: 'downloading'; readonly imageName: string; readonly progress: Progress }
  | { readonly kind: 'paused'; readonly imageName: string; readonly progress: Progress }
  | { readonly kind: 'verifying'; readonly imageName: string }
  | { readonly kind: 'unpacking'; readonly imageName: string; readonly progress?: Progress }
  | { readonly kind: 'registering'; readonly imageName: string }
  | {
      readonly kind: 'registered';
      readonly vmId: string;
      readonly vmName: string;
      readonly alreadyRegistered: boolean;
    }
  | {
      readonly kind: 'assistant';
      readonly reason: AssistantReason;
      readonly corporateOnly: boolean;
      readonly arch: Arch;
      readonly oses: readonly GuestOsOption[];
      readonly defaults: AssistantDefaults;
    }
  | { readonly kind: 'creating'; readonly vmName: string }
  | {
      readonly kind: 'failed';
      readonly code: ErrorCode;
      readonly message: string;
      readonly retryable: boolean;
    }
  | { readonly kind: 'cancelled' };

/** A job phase kind. */
export type JobPhaseKind = JobPhase['kind'];

/** The simulated run state of a VM. */
export type VmState = 'stopped' | 'running' | 'packing';

/** One VM in the list; `removable` is false when the policy keeps this corporate VM. */
export interface VmView {
  readonly id: string;
  readonly name: string;
  readonly arch: Arch;
  /** The golden image it was made from; absent for a VM created on this Mac. */
  readonly sourceImage?: string;
  readonly sizeBytes?: number;
  readonly state: VmState;
  readonly corporate: boolean;
  readonly removable: boolean;
}

/** What the user can do to a VM from the list; `delete` removes it and moves its files away. */
export type VmAction =
  'start' | 'stop' | 'show-in-folder' | 'prepare-for-transfer' | 'remove' | 'delete';

/** The architecture setting: detect it, or force Apple silicon or Intel. */
export type ArchChoice = 'auto' | Arch;

/** The settings the Settings view edits; `null` means not set, such as the embedded portal. */
export interface SettingsView {
  readonly licenseKey: string;
  readonly portalUrl: string | null;
  readonly arch: ArchChoice;
  readonly vmDir: string;
  readonly checkInIntervalSec: number | null;
  readonly proxyUrl: string | null;
  readonly caFile: string | null;
}

/** The agent's identity and connection facts, shown like a management client's properties. */
export interface AgentPropertiesView {
  readonly deviceId: string;
  readonly version: string;
  /** The architecture the agent reports to the portal (after any override). */
  readonly arch: Arch;
  readonly portalUrl: string;
  readonly embeddedPortal: boolean;
  readonly lastConnectedAt?: string;
  readonly policiesReceivedAt?: string;
  readonly policyRevision?: number;
  readonly lastCheckInError?: ErrorCode;
}

/** Whether the portal has an event yet. */
export type DeliveryState = 'pending' | 'delivered';

/** One agent event in the Activity list; `at` is an ISO date-time. */
export interface ActivityEntry {
  readonly id: string;
  readonly type: AgentEventType;
  readonly at: string;
  readonly detail?: string;
  readonly delivery: DeliveryState;
}

/** A partial download an earlier run left behind, which `resume` continues. */
export interface InterruptedDownload {
  readonly imageName: string;
  readonly transferred: number;
  readonly total?: number;
}

/** Everything the Control Center shows, as the backend last reported it. */
export interface AppState {
  readonly job: JobPhase;
  readonly vms: readonly VmView[];
  readonly settings: SettingsView;
  readonly agent: AgentPropertiesView;
  readonly activity: readonly ActivityEntry[];
  readonly interrupted?: InterruptedDownload;
}

export { assertNever } from '../../shared/assert-never.ts';
