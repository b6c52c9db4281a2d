import { z } from 'zod';
import { BACKEND_CHOICES, type BackendKind, type VmRecord } from './agent-store-schema.ts';
import type { ErrorCode } from './codes.ts';
import { INVITATION_ANSWERS, type Invitation } from './invitation.ts';
import type { AgentEvent, Arch } from './protocol.ts';

/** An error as it crosses the boundary: a stable code, a sentence, and whether a retry may help. */
export interface IpcError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
}

/** What every invoke channel answers: data, never a thrown error. */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

/** License keys are groups of capital letters and digits joined by dashes, like ACME-ENG-0002. */
export const LICENSE_KEY_PATTERN = /^[A-Z0-9]{2,16}(?:-[A-Z0-9]{2,16}){1,7}$/;

const webUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((text) => /^https?:\/\/[^\s/]/i.test(text) && URL.canParse(text), {
    message: 'must be an http:// or https:// URL',
  });

/** The settings the Settings view edits; `null` means "not set" (embedded portal, portal's interval). */
export const settingsSchema = z.strictObject({
  licenseKey: z.string().trim().max(200),
  portalUrl: webUrl.nullable(),
  arch: z.enum(['auto', 'arm64', 'x86_64']),
  vmDir: z.string().trim().min(1).max(4096),
  checkInIntervalSec: z.number().int().min(10).max(86_400).nullable(),
  proxyUrl: webUrl.nullable(),
  caFile: z.string().trim().min(1).max(4096).nullable(),
  backend: z.enum(BACKEND_CHOICES),
});
/** Saved settings. */
export type Settings = z.infer<typeof settingsSchema>;

const none = z.strictObject({}).optional();
const vmRef = z.strictObject({ uuid: z.string().min(1).max(100) });

/** The payload schema of every invoke channel (`domain:verb-noun`). */
export const invokeSchemas = {
  'state:get': none,
  'settings:get': none,
  'settings:save': settingsSchema,
  'agent:connect': none,
  'activity:list': none,
  'job:start-new-vm': z.strictObject({ force: z.boolean().optional() }).optional(),
  'job:answer-invitation': z.strictObject({ answer: z.enum(INVITATION_ANSWERS) }),
  'job:pause': none,
  'job:resume': none,
  'job:cancel': none,
  'job:dismiss': none,
  'assistant:get-options': none,
  'assistant:create-vm': z.strictObject({
    os: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(200),
    cpus: z.number().int().min(1).max(32),
    memoryMb: z.number().int().min(512).max(131_072),
    diskSizeBytes: z.int().min(1024 * 1024),
  }),
  'vm:start': vmRef,
  'vm:stop': vmRef,
  'vm:remove': vmRef.extend({ deleteFiles: z.boolean() }),
  'vm:show-in-folder': vmRef,
  'vm:prepare-transfer': vmRef,
  'vm:cancel-transfer': vmRef,
  'report:create': z.strictObject({ send: z.boolean() }),
} as const;

/** A golden image as the job names it, with its size when the policy gave one. */
export type ImageRef = {
  readonly goldenImageId: string;
  readonly name: string;
  readonly sizeBytes: number | null;
};

/** Where the New VM job stands; broadcast on every change. */
export type JobPhase =
  | { readonly phase: 'idle' | 'checking-policy' | 'cancelled' }
  | { readonly phase: 'creating'; readonly vmName: string }
  | { readonly phase: 'invited'; readonly invitation: Invitation }
  // heldBytes: what an earlier run left on disk, so the progress starts there.
  | { readonly phase: 'downloading'; readonly image: ImageRef; readonly heldBytes: number }
  | { readonly phase: 'paused' | 'verifying'; readonly image: ImageRef }
  // verifiedSha256: the checksum the image was just verified against, shown from here on.
  | {
      readonly phase: 'unpacking' | 'registering';
      readonly image: ImageRef;
      readonly verifiedSha256: string;
    }
  | { readonly phase: 'registered'; readonly vm: VmRecord; readonly alreadyRegistered: boolean }
  // previousRemoved false: policy prevents removing corporate VMs, so the previous one is kept.
  | {
      readonly phase: 'updated';
      readonly vm: VmRecord;
      readonly previous: VmRecord;
      readonly previousRemoved: boolean;
      /** Why the previous VM was kept (policy, in use, removal failed). */
      readonly keptReason?: string;
    }
  | { readonly phase: 'assistant'; readonly reason: 'declined' | 'no-image' }
  | { readonly phase: 'failed'; readonly error: IpcError };

/** A phase the New VM job announces itself, where it really starts. */
export type AnnouncedPhase =
  | { readonly phase: 'checking-policy' }
  | { readonly phase: 'downloading'; readonly image: ImageRef; readonly heldBytes: number }
  | { readonly phase: 'verifying'; readonly image: ImageRef }
  | {
      readonly phase: 'unpacking' | 'registering';
      readonly image: ImageRef;
      readonly verifiedSha256: string;
    };

/** The agent's properties, as the Mac client's properties window shows them. */
export interface AgentProperties {
  readonly deviceId: string;
  readonly version: string;
  readonly arch: Arch;
  readonly portalUrl: string | null;
  readonly embeddedPortal: boolean;
  readonly lastConnectedAt: string | null;
  readonly policiesReceivedAt: string | null;
  readonly policyRevision: number | null;
  /** The user group the policy came for, as the portal named it. */
  readonly groupName: string | null;
  /** The golden image the policy offers this Mac. */
  readonly goldenImageName: string | null;
  /** The policy allows corporate VMs only. */
  readonly corporateOnly: boolean;
  readonly checkInIntervalSec: number;
  readonly lastCheckInError: IpcError | null;
  /** The hypervisor backend VMs are registered with (Settings' `auto` resolved). */
  readonly backend: BackendKind;
}

/** A registered VM as the list shows it. */
export type VmView = VmRecord & {
  readonly sizeOnDiskBytes: number | null;
  /** Made from a golden image. */
  readonly corporate: boolean;
  readonly removable: boolean;
  /** How far Prepare for Transfer has come while it writes its archive; null when it is not. */
  readonly packing: TransferProgress | null;
};

/** Prepare for Transfer's progress: bytes of the VM's files read so far, of all of them. */
export interface TransferProgress {
  readonly readBytes: number;
  readonly totalBytes: number;
}

/** A partial download kept on disk that job:resume continues. */
export interface ResumableDownload {
  readonly sha256: string;
  readonly image: ImageRef | null;
  readonly bytes: number;
  readonly total: number | null;
}

/** Everything the Control Center shows, pushed whole on `state:changed`. */
export interface AppState {
  readonly agent: AgentProperties;
  readonly settings: Settings;
  readonly vms: readonly VmView[];
  readonly job: JobPhase;
  /** An interrupted or paused download that can be resumed. */
  readonly resumable: ResumableDownload | null;
}

/** Download progress, throttled, on its own channel. */
export interface JobProgress {
  readonly transferred: number;
  readonly total: number | null;
  readonly fraction: number | null;
  /** Bytes per second over the last few seconds. */
  readonly rate: number;
  readonly etaSeconds: number | null;
}

/** The code an Activity entry carries for a download the user paused (the portal gets CANCELLED). */
export const PAUSED_ACTIVITY_CODE = 'PAUSED';

/** One agent event with the outbox's delivery state. */
export interface ActivityEntry {
  readonly event: AgentEvent;
  readonly delivery: 'pending' | 'delivered';
}

/** What the Installation Assistant offers; `blockedReason` is set when policy forbids it. */
export interface AssistantOptions {
  readonly oses: readonly { readonly id: string; readonly label: string }[];
  readonly defaults: {
    readonly cpus: number;
    readonly memoryMb: number;
    readonly diskSizeBytes: number;
  };
  readonly corporateOnly: boolean;
  readonly blockedReason: string | null;
}

/** The result of Prepare for Transfer. */
export interface TransferArchive {
  readonly archivePath: string;
  readonly sha256Path: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

/** A problem report bundle written on this Mac, and what sending it to the portal gave. */
export interface ProblemReport {
  readonly id: string;
  readonly path: string;
  readonly sizeBytes: number;
  /** Whether the portal received it; false when it was not sent or sending failed. */
  readonly sent: boolean;
  /** Why sending failed (the bundle stays on this Mac). */
  readonly sendError: IpcError | null;
}

/** What each invoke channel answers on success. */
export interface InvokeResults {
  'state:get': AppState;
  'settings:get': Settings;
  'settings:save': Settings;
  'agent:connect': { readonly agent: AgentProperties; readonly policyChanged: boolean };
  'activity:list': readonly ActivityEntry[];
  'job:start-new-vm': null;
  'job:answer-invitation': null;
  'job:pause': null;
  'job:resume': null;
  'job:cancel': null;
  'job:dismiss': null;
  'assistant:get-options': AssistantOptions;
  'assistant:create-vm': VmRecord;
  'vm:start': VmView;
  'vm:stop': VmView;
  'vm:remove': null;
  'vm:show-in-folder': { readonly path: string };
  'vm:prepare-transfer': TransferArchive;
  'vm:cancel-transfer': null;
  'report:create': ProblemReport;
}

/** What each push channel carries. */
export interface PushPayloads {
  'state:changed': AppState;
  'job:progress': JobProgress;
  /** New or updated entries (by event id). */
  'activity:changed': { readonly entries: readonly ActivityEntry[] };
}

/** Every push channel. */
export const PUSH_CHANNELS = ['state:changed', 'job:progress', 'activity:changed'] as const;

/** An invoke channel name. */
export type InvokeChannel = keyof typeof invokeSchemas;
/** A push channel name. */
export type PushChannel = (typeof PUSH_CHANNELS)[number];
/** The payload a caller sends on an invoke channel. */
export type InvokePayload<C extends InvokeChannel> = z.input<(typeof invokeSchemas)[C]>;
/** Arguments after the channel: optional when the channel needs no payload. */
export type PayloadArgs<C extends InvokeChannel> =
  undefined extends InvokePayload<C> ? [payload?: InvokePayload<C>] : [payload: InvokePayload<C>];

/** One side of the contract, generic over channels: the web client, the preload API. */
export interface ContractClient {
  invoke<C extends InvokeChannel>(
    channel: C,
    ...args: PayloadArgs<C>
  ): Promise<Result<InvokeResults[C]>>;
  subscribe<C extends PushChannel>(
    channel: C,
    listener: (payload: PushPayloads[C]) => void,
  ): () => void;
}

/** Whether a string names an invoke channel (unknown prefixes and names are refused). */
export function isInvokeChannel(channel: string): channel is InvokeChannel {
  return Object.hasOwn(invokeSchemas, channel);
}
