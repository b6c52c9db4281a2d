import type { VmRecord } from '../../shared/agent-store-schema.ts';
import type { Invitation, InvitationAnswer } from '../../shared/invitation.ts';
import type { AnnouncedPhase } from '../../shared/ipc-contract.ts';
import type { AgentEvent } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { failedResult, type RunResult } from '../../shared/run-result.ts';
import type { ArchiveLimits } from '../archive/archive-limits.ts';
import type { AgentConfig } from './agent-config.ts';
import { openAgent } from './agent-context.ts';
import { acquireAgentLock } from './agent-lock.ts';
import { checkInAndCache } from './check-in.ts';
import type { DownloadProgress } from './download/image-download.ts';
import {
  installGoldenImage,
  spaceNeeds,
  type DiskMode,
  type DownloadTuning,
} from './golden-image-install.ts';
import { homeLayout } from './home-layout.ts';
import { JobReporter } from './job-reporter.ts';
import { DEFAULT_HEADROOM_BYTES, freeDiskBytes } from './disk-space.ts';
import type { ValidatedPolicy } from './policy-validation.ts';
import { removeDownloadOf, removeOtherPartials, removeStaleStaging } from './leftovers.ts';
import { heldDownloadBytes } from './held-download.ts';
import { recoverPendingPacked } from './pending-packed.ts';
import { recoverPendingRegistration } from './pending-registration.ts';
import { VmRegistry } from './vm-registry.ts';
import { crashPoint } from '../crash-points.ts';
import type { Transport } from './transport.ts';
import {
  finishReplace,
  resumeReplace,
  previousVersionOf,
  updateChoiceOf,
  updateOfferFor,
} from './golden-image-update.ts';
import { clearPendingReplace, notePendingReplace } from './pending-replace.ts';
import { recoverRename } from './reclaim-name.ts';
import { resolveBackend } from './hypervisor/choose-backend.ts';
import type { HypervisorBackend } from './hypervisor/hypervisor-backend.ts';

/** Options of one "New VM" action. */
export interface NewVmActionOptions {
  readonly home: string;
  /** What the job runs with, resolved by the caller; the job never writes it back. */
  readonly config: AgentConfig;
  /** The transport the caller built when it checked the config; default: one made from it. */
  readonly transport?: Transport;
  /** Download again even when a VM from the same image is registered. */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  /** The caller already holds the home folder's agent lock (the desktop app holds it while it runs). */
  readonly lockHeld?: boolean;
  /** Registers and removes VMs (default: resolved from `config.backend`). */
  readonly backend?: HypervisorBackend;
  /** Whether the caller is using a VM (Prepare for Transfer), so that an update keeps it. */
  readonly isVmBusy?: (uuid: string) => boolean;
  /** Asks the user whether to download the golden image. */
  readonly decide: (invitation: Invitation) => Promise<InvitationAnswer>;
  readonly onEvent?: (event: AgentEvent) => void;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Told where each phase of the job really starts; the invitation is `decide` itself. */
  readonly onPhase?: (phase: AnnouncedPhase) => void;
  readonly tuning?: DownloadTuning;
  readonly limits?: ArchiveLimits;
  /** `none`: check every byte of the image, write none, register the VM as simulated (fleet). */
  readonly disk?: DiskMode;
  /** Least time between two download-progress events to the portal (default 5 s). */
  readonly progressEveryMs?: number;
  readonly freeBytes?: (path: string) => Promise<number>;
}

/** Runs one "New VM" action: policy → invitation → download → verify → unpack → register. */
export async function runNewVmAction(options: NewVmActionOptions): Promise<RunResult> {
  let release: (() => Promise<void>) | undefined;
  try {
    if (!options.lockHeld) release = await acquireAgentLock(options.home);
    crashPoint('after-lock');
    return await runLocked(options);
  } catch (error) {
    return failedResult(error);
  } finally {
    await release?.();
  }
}

async function runLocked(options: NewVmActionOptions): Promise<RunResult> {
  const { home, config } = options;
  const layout = homeLayout(home);
  const agent = openAgent(home, config, options.transport);
  const { store, identity, transport, client, logger, outbox } = agent;
  const reporter = new JobReporter(outbox, logger, options.onEvent, options.progressEveryMs);
  const registry = new VmRegistry(store);
  const backend = options.backend ?? (await resolveBackend(config.backend, { logger }));
  const vmDir = config.vmDir ?? layout.defaultVmDir;
  const { isVmBusy } = options;
  const replacing = { home, registry, backend, reporter, deviceId: identity.deviceId, isVmBusy };
  // A registration a crash interrupted is finished (or rolled back) before anything else.
  const recovered = await recoverPendingRegistration(options.home, registry, backend);
  if (recovered?.outcome === 'adopted') reportRecovered(reporter, recovered.vm);
  const recoveredPacked = await recoverPendingPacked(home, registry, backend, logger);
  if (recoveredPacked) reportRecovered(reporter, recoveredPacked);
  await recoverRename(home, registry);
  await removeStaleStaging(vmDir, identity.deviceId, layout.downloads);
  // VMs the user deleted by hand no longer count as registered.
  await registry.pruneMissing();
  try {
    options.onPhase?.({ phase: 'checking-policy' });
    const { policy } = await checkInAndCache({
      store,
      client,
      identity,
      licenseKey: config.licenseKey,
      portalUrl: config.portalUrl,
      signal: options.signal,
    });
    crashPoint('after-check-in');
    const image = policy.goldenImage;
    reporter.emit('checked-in', {
      policyId: policy.id,
      policyRevision: policy.revision,
      ...(image ? { goldenImageId: image.id } : {}),
    });
    if (!image) return { type: 'result', outcome: 'no-image' };
    // Downloads of images the policy no longer offers would never be resumed.
    const staging = { vmDir, deviceId: identity.deviceId };
    await removeOtherPartials(layout.downloads, image.sha256, staging);
    // A Replace a crash cut short after the new version was registered is finished first.
    const resumed = await resumeReplace(home, registry, image.sha256);
    if (resumed) {
      await removeDownloadOf(layout.downloads, image.sha256, staging);
      return await finishReplace({
        ...replacing,
        policy,
        vm: resumed.vm,
        previous: resumed.previous,
      });
    }
    const previous = previousVersionOf(registry, image);
    const existing = findExisting(registry, policy, options.force === true, previous);
    if (existing) {
      // A download of this image (an interrupted forced one) is of no use any more.
      await removeDownloadOf(layout.downloads, image.sha256, staging);
      return { type: 'result', outcome: 'already-registered', vm: existing };
    }

    const update = previous && updateOfferFor(previous, policy);
    const invitation = { ...(await buildInvitation(policy, layout.downloads, vmDir)), update };
    if (previous && update) {
      reporter.emit('update-offered', {
        goldenImageId: image.id,
        name: image.name,
        vmUuid: previous.uuid,
        fromSha256: update.fromSha256,
        toSha256: image.sha256,
        ...(image.sizeBytes === undefined ? {} : { sizeBytes: image.sizeBytes }),
      });
    } else reporter.emit('invited', { goldenImageId: image.id, name: image.name });
    const answer = await options.decide(invitation);
    const choice = update && updateChoiceOf(answer, update);
    if (choice === 'replace') await notePendingReplace(home, previous!, image.sha256);
    else await clearPendingReplace(home);
    if (choice === 'skip') {
      reporter.emit('update-declined', { goldenImageId: image.id });
      return { type: 'result', outcome: 'already-registered', vm: previous! };
    }
    if (choice) reporter.emit('update-accepted', { goldenImageId: image.id, choice });
    else if (answer === 'decline') {
      reporter.emit('declined', { goldenImageId: image.id });
      if (policy.restrictToCorporateVms) throw new ProvisimError('CORPORATE_ONLY');
      return { type: 'result', outcome: 'declined' };
    }
    if (!choice) reporter.emit('accepted', { goldenImageId: image.id });
    crashPoint('after-accept');
    const ref = { goldenImageId: image.id, name: image.name, sizeBytes: image.sizeBytes ?? null };
    const heldBytes = invitation.resumeFromBytes;
    options.onPhase?.({ phase: 'downloading', image: ref, heldBytes });
    const vm = await installGoldenImage({
      image,
      policyRevision: policy.revision,
      hostArch: identity.arch,
      deviceId: identity.deviceId,
      home: options.home,
      downloadsDir: layout.downloads,
      vmDir,
      registry,
      reporter,
      signal: options.signal,
      transport,
      tuning: options.tuning,
      limits: options.limits,
      disk: options.disk,
      freeBytes: options.freeBytes,
      onProgress: options.onProgress,
      onPhase: options.onPhase,
      backend,
    });
    if (choice === 'replace' && previous) {
      return await finishReplace({ ...replacing, policy, vm, previous });
    }
    crashPoint('before-result');
    return { type: 'result', outcome: 'registered', vm };
  } catch (error) {
    logger.error({ err: error }, 'new VM action failed');
    return failedResult(error);
  } finally {
    // After a cancel the user is waiting: no time for a portal that does not answer.
    await reporter.settle(options.signal?.aborted ? 0 : undefined).catch(() => undefined);
  }
}

function reportRecovered(reporter: JobReporter, vm: VmRecord): void {
  if (vm.source.kind !== 'golden-image') return;
  const { goldenImageId } = vm.source;
  reporter.emit('registered', { goldenImageId, vmUuid: vm.uuid, name: vm.name, recovered: true });
}

function findExisting(
  registry: VmRegistry,
  policy: ValidatedPolicy,
  force: boolean,
  previous: VmRecord | undefined,
): VmRecord | undefined {
  if (!policy.goldenImage) return undefined;
  const same = registry.findBySha256(policy.goldenImage.sha256);
  if (same && !force) return same;
  // A new version of an image the Mac runs is offered as an update, which Replace keeps to one VM.
  if (previous && !same) return undefined;
  // One corporate VM per user is the admin's rule: --force does not lift it.
  return policy.oneCorporateVmPerUser
    ? registry.list().find((vm) => vm.source.kind === 'golden-image')
    : undefined;
}

async function buildInvitation(
  policy: ValidatedPolicy,
  downloadsDir: string,
  vmDir: string,
): Promise<Invitation> {
  const image = policy.goldenImage!;
  const resumeFromBytes = await heldDownloadBytes(downloadsDir, image.sha256);
  const freeBytes = await freeDiskBytes(vmDir).catch(() => undefined);
  return {
    goldenImageId: image.id,
    name: image.name,
    description: image.description,
    arch: image.arch,
    sizeBytes: image.sizeBytes,
    requiredBytes:
      image.sizeBytes === undefined
        ? undefined
        : spaceNeeds(image.sizeBytes, resumeFromBytes, downloadsDir, vmDir).reduce(
            (sum, need) => sum + need.bytes,
            DEFAULT_HEADROOM_BYTES,
          ),
    freeBytes,
    resumeFromBytes,
    corporateOnly: policy.restrictToCorporateVms,
  };
}
