import type { VmRecord } from '../../shared/agent-store-schema.ts';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { AssistantOptions, InvokePayload } from '../../shared/ipc-contract.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import type { CreateResult } from '../../shared/run-result.ts';
import type { AgentEvent, Arch } from '../../shared/protocol.ts';
import type { AgentConfig } from '../agent/agent-config.ts';
import type { AgentStore } from '../agent/agent-store.ts';
import { runAssistantAction } from '../agent/assistant-job.ts';
import { detectHostArch } from '../agent/identity.ts';
import { NEW_VM_DEFAULTS, SUPPORTED_GUEST_OSES } from '../agent/installation-assistant.ts';
import type { JobRunner } from './job-runner.ts';

type GuestOs = (typeof SUPPORTED_GUEST_OSES)[number];

const OS_LABELS: Readonly<Record<GuestOs, string>> = {
  'windows-11': 'Windows 11',
  'ubuntu-24.04': 'Ubuntu 24.04 LTS',
  'debian-12': 'Debian 12',
  'fedora-40': 'Fedora 40',
  macos: 'macOS',
};

/** The guest systems a Mac of `arch` can run: macOS guests need Apple silicon. */
export function guestOsesFor(arch: Arch): readonly GuestOs[] {
  return SUPPORTED_GUEST_OSES.filter((id) => id !== 'macos' || arch === 'arm64');
}

/**
 * What the Installation Assistant offers, from the cached policy of the current key, for a Mac of
 * `arch` (the architecture override, else this machine's).
 */
export function assistantOptions(
  store: AgentStore,
  arch: Arch = store.get('archOverride') ?? detectHostArch(),
): AssistantOptions {
  // Cached is enough here: the create itself asks the portal again.
  const cache = store.get('policyCache');
  const current = cache !== undefined && cache.licenseKey === store.get('licenseKey');
  const corporateOnly = current && cache.policy.restrictToCorporateVms;
  return {
    oses: guestOsesFor(arch).map((id) => ({ id, label: OS_LABELS[id] })),
    defaults: { ...NEW_VM_DEFAULTS },
    corporateOnly,
    blockedReason: corporateOnly ? ERROR_SENTENCES.CORPORATE_ONLY : null,
  };
}

/** What creating a VM needs from the app. */
export interface CreateVmContext {
  readonly home: string;
  readonly runner: JobRunner;
  /** The agent store, whose VM list a new name must not repeat. */
  readonly settings: { readonly store: AgentStore };
  /** The config as far as it is set: without a portal the VM is still made, where and as configured. */
  readonly config: () => Promise<Partial<AgentConfig>>;
  readonly onEvent: (event: AgentEvent) => void;
}

/** Refuses what the assistant would not offer: a name already in the list, macOS on an Intel Mac. */
export function checkCreateRequest(
  request: Pick<InvokePayload<'assistant:create-vm'>, 'name' | 'os'>,
  arch: Arch,
  vms: readonly Pick<VmRecord, 'name'>[],
): void {
  const name = request.name.trim();
  const taken = vms.some((vm) => vm.name.toLocaleLowerCase() === name.toLocaleLowerCase());
  if (taken) {
    throw new ProvisimError('VM_NAME_TAKEN', {
      message: `A VM named "${name}" is already on this Mac. Choose another name.`,
      details: { name },
    });
  }
  if (!(guestOsesFor(arch) as readonly string[]).includes(request.os)) {
    throw new ProvisimError('INVALID_PAYLOAD', {
      message: 'A macOS VM needs a Mac with Apple silicon. Choose another operating system.',
      details: { os: request.os, arch },
    });
  }
}

/** Creates and registers a VM as the job of the moment; refused when policy allows corporate VMs only. */
export async function createWithAssistant(
  context: CreateVmContext,
  request: InvokePayload<'assistant:create-vm'>,
): Promise<VmRecord> {
  const { runner } = context;
  const config = await context.config();
  checkCreateRequest(request, config.arch ?? detectHostArch(), context.settings.store.get('vms'));
  const before = runner.phase;
  let result: CreateResult | undefined;
  await runner.exclusive({ phase: 'creating', vmName: request.name }, async () => {
    result = await runAssistantAction({
      home: context.home,
      ...request,
      config,
      lockHeld: true,
      onEvent: context.onEvent,
    });
    // On failure the assistant stays on screen with the error; the job goes back to where it was.
    return result.vm ? { phase: 'registered', vm: result.vm, alreadyRegistered: false } : before;
  });
  if (result?.vm) return result.vm;
  throw new ProvisimError(result?.error?.code ?? 'INTERNAL_ERROR', {
    message: result?.error?.message,
  });
}
