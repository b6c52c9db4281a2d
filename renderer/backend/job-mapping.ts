import type {
  AssistantOptions,
  ImageRef,
  IpcError,
  JobPhase as ContractJobPhase,
  JobProgress,
  ResumableDownload,
} from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';
import {
  assertNever,
  type AssistantReason,
  type JobPhase,
  type Progress,
} from '../model/view-types.ts';

/** What the job view needs beyond the phase itself, gathered from the other channels. */
export interface JobContext {
  readonly progress: JobProgress | undefined;
  readonly resumable: ResumableDownload | null;
  /** The Installation Assistant's options, or why they could not be had; neither while loading. */
  readonly assistant: { readonly options?: AssistantOptions; readonly error?: IpcError };
  readonly arch: Arch;
}

/** Download progress as the views show it (absent values instead of nulls). */
export function toProgress(progress: JobProgress): Progress {
  return {
    transferred: progress.transferred,
    total: progress.total ?? undefined,
    rate: progress.rate,
    etaSeconds: progress.etaSeconds ?? undefined,
  };
}

type DownloadPhase =
  | Extract<ContractJobPhase, { phase: 'downloading' }>
  | { readonly phase: 'paused'; readonly image: ImageRef };

function downloadProgress(phase: DownloadPhase, context: JobContext): Progress {
  const { progress, resumable } = context;
  const { sizeBytes } = phase.image;
  // Paused, the bytes on disk are the truth; the last progress report may be a moment older.
  if (phase.phase === 'paused' && resumable) {
    const total = resumable.total ?? progress?.total ?? sizeBytes;
    return { transferred: resumable.bytes, total: total ?? undefined, rate: 0 };
  }
  if (progress)
    return { ...toProgress(progress), ...(phase.phase === 'paused' ? { rate: 0 } : {}) };
  // Until the first report: what an earlier run held, of the size the policy gave.
  const heldBytes = phase.phase === 'downloading' ? phase.heldBytes : 0;
  return { transferred: heldBytes, total: sizeBytes ?? undefined, rate: 0 };
}

/** Whether the Installation Assistant's options are needed to show this phase. */
export function needsAssistantOptions(phase: ContractJobPhase): boolean {
  return phase.phase === 'assistant' || isCorporateOnlyDecline(phase);
}

// The agent ends a declined invitation with CORPORATE_ONLY when policy allows corporate VMs
// only; the Control Center shows that as the blocked assistant, with the way back to the image.
function isCorporateOnlyDecline(phase: ContractJobPhase): boolean {
  return phase.phase === 'failed' && phase.error.code === 'CORPORATE_ONLY';
}

// Undefined while the options load: a blocked assistant must never flash open first.
function assistant(
  reason: AssistantReason,
  context: JobContext,
  blockedBy: IpcError | undefined,
): JobPhase | undefined {
  const { options, error } = context.assistant;
  if (!options) return error && { kind: 'failed', ...(blockedBy ?? error) };
  const { oses, defaults } = options;
  const corporateOnly = options.corporateOnly || blockedBy !== undefined;
  return { kind: 'assistant', reason, corporateOnly, arch: context.arch, oses, defaults };
}

/** The renderer's job phase for the contract's; undefined while the assistant's options load. */
export function toJobPhase(phase: ContractJobPhase, context: JobContext): JobPhase | undefined {
  switch (phase.phase) {
    case 'idle':
    case 'checking-policy':
    case 'cancelled':
      return { kind: phase.phase };
    case 'creating':
      return { kind: 'creating', vmName: phase.vmName };
    case 'invited':
      return { kind: 'invited', invitation: phase.invitation };
    case 'downloading':
      return {
        kind: 'downloading',
        imageName: phase.image.name,
        progress: downloadProgress(phase, context),
      };
    case 'paused': {
      const { image } = phase;
      const progress = downloadProgress({ phase: 'paused', image }, context);
      return { kind: 'paused', imageName: image.name, progress };
    }
    case 'verifying':
    case 'unpacking':
    case 'registering':
      return { kind: phase.phase, imageName: phase.image.name };
    case 'registered':
      return {
        kind: 'registered',
        vmId: phase.vm.uuid,
        vmName: phase.vm.name,
        alreadyRegistered: phase.alreadyRegistered,
      };
    case 'assistant':
      return assistant(phase.reason, context, undefined);
    case 'failed':
      if (isCorporateOnlyDecline(phase)) return assistant('declined', context, phase.error);
      return { kind: 'failed', ...phase.error };
    default:
      return assertNever(phase);
  }
}
