import type { VmRecord } from '../../shared/agent-store-schema.ts';
import type { InvitationAnswer, UpdateOffer } from '../../shared/invitation.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import type { RunResult } from '../../shared/run-result.ts';
import { crashPoint } from '../crash-points.ts';
import type { HypervisorBackend } from './hypervisor/hypervisor-backend.ts';
import type { JobReporter } from './job-reporter.ts';
import { clearPendingReplace, readPendingReplace } from './pending-replace.ts';
import { removeRegisteredVm } from './remove-vm.ts';
import { reclaimName } from './reclaim-name.ts';
import type { ValidatedGoldenImage, ValidatedPolicy } from './policy-validation.ts';
import type { VmRegistry } from './vm-registry.ts';

/** What a user may choose for an update offer (`run --update`). */
export const UPDATE_CHOICES = ['replace', 'keep-both', 'skip'] as const;

/** What the user chose for an update offer. */
export type UpdateChoice = (typeof UPDATE_CHOICES)[number];

/**
 * The VM made from an earlier version of this golden image (same id, another checksum), the
 * newest first; undefined when none is registered.
 */
export function previousVersionOf(
  registry: VmRegistry,
  image: ValidatedGoldenImage,
): VmRecord | undefined {
  return registry
    .list()
    .filter(
      (vm) =>
        vm.source.kind === 'golden-image' &&
        vm.source.goldenImageId === image.id &&
        vm.source.sha256 !== image.sha256,
    )
    .at(-1);
}

/** The update offer an invitation carries for `previous`, under this policy. */
export function updateOfferFor(previous: VmRecord, policy: ValidatedPolicy): UpdateOffer {
  const source = previous.source.kind === 'golden-image' ? previous.source : undefined;
  return {
    vm: { uuid: previous.uuid, name: previous.name },
    fromSha256: source?.sha256 ?? '',
    ...(source?.sizeBytes === undefined ? {} : { fromSizeBytes: source.sizeBytes }),
    replaceRemovesPrevious: !policy.preventCorporateVmRemoval,
    keepBothAllowed: !policy.oneCorporateVmPerUser,
  };
}

/** Turns an answer to an update offer into a choice; Keep both where policy forbids it is refused. */
export function updateChoiceOf(answer: InvitationAnswer, offer: UpdateOffer): UpdateChoice {
  if (answer === 'decline') return 'skip';
  if (answer !== 'keep-both') return 'replace';
  if (!offer.keepBothAllowed) throw new ProvisimError('KEEP_BOTH_BLOCKED');
  return 'keep-both';
}

/** A Replace whose new VM a crash left registered, with the VM it was to remove. */
export async function resumeReplace(
  home: string,
  registry: VmRegistry,
  sha256: string,
): Promise<{ vm: VmRecord; previous: VmRecord } | undefined> {
  const pending = await readPendingReplace(home);
  if (!pending) return undefined;
  const vm = registry.findBySha256(sha256);
  if (pending.sha256 !== sha256) await clearPendingReplace(home);
  return pending.sha256 === sha256 && vm ? { vm, previous: pending.previous } : undefined;
}

/** What finishing a Replace needs. */
export interface ReplaceOptions {
  readonly home: string;
  readonly registry: VmRegistry;
  readonly backend: HypervisorBackend;
  readonly reporter: JobReporter;
  readonly policy: ValidatedPolicy;
  readonly vm: VmRecord;
  readonly previous: VmRecord;
  readonly deviceId: string;
  /** Whether the app is using a VM right now (Prepare for Transfer): such a VM is kept. */
  readonly isVmBusy?: (uuid: string) => boolean;
}

/**
 * Removes the previous version once the new one is registered, and forgets the pending Replace.
 * The previous VM is kept, and the result says why, where policy prevents removal, where it runs
 * or is in use, or where removing it fails; one already gone (a crash midway) counts as removed.
 */
export async function finishReplace(options: ReplaceOptions): Promise<RunResult> {
  const { previous, reporter } = options;
  crashPoint('before-previous-removed');
  const keptReason = await removePrevious(options);
  const previousRemoved = keptReason === undefined;
  const vm = previousRemoved ? await reclaimName(options) : options.vm;
  await clearPendingReplace(options.home);
  const sha256 = vm.source.kind === 'golden-image' ? vm.source.sha256 : '';
  reporter.emit('updated', {
    goldenImageId: options.policy.goldenImage!.id,
    vmUuid: vm.uuid,
    name: vm.name,
    sha256,
    previousVmUuid: previous.uuid,
    previousRemoved,
    ...(keptReason === undefined ? {} : { keptReason }),
  });
  crashPoint('before-result');
  return {
    type: 'result',
    outcome: 'updated',
    vm,
    previous,
    previousRemoved,
    ...(keptReason === undefined ? {} : { keptReason }),
  };
}

// Undefined when the previous VM is gone; else why it stays.
async function removePrevious(options: ReplaceOptions): Promise<string | undefined> {
  const { registry, previous } = options;
  if (options.policy.preventCorporateVmRemoval) {
    return 'your organisation prevents removing corporate VMs';
  }
  const current = registry.list().find((known) => known.uuid === previous.uuid);
  if (!current) return undefined;
  const name = JSON.stringify(current.name);
  if (current.state === 'running') {
    return `${name} is running; shut it down, then remove it from the VM list`;
  }
  if (options.isVmBusy?.(current.uuid)) {
    return `${name} is being prepared for transfer; remove it from the VM list once that ends`;
  }
  try {
    await removeRegisteredVm({ ...options, vm: current });
    return undefined;
  } catch (error) {
    const code = isProvisimError(error) ? error.code : 'INTERNAL_ERROR';
    const message = error instanceof Error ? error.message : String(error);
    return `removing ${name} failed (${code}): ${message}`;
  }
}
