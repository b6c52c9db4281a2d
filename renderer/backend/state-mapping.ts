import type {
  ActivityEntry as ContractActivityEntry,
  AgentProperties,
  ResumableDownload,
  VmView as ContractVmView,
} from '../../shared/ipc-contract.ts';
import type {
  ActivityEntry,
  AgentPropertiesView,
  InterruptedDownload,
  VmView,
} from '../model/view-types.ts';

/** A VM row as the list shows it. */
export function toVmView(vm: ContractVmView): VmView {
  return {
    id: vm.uuid,
    name: vm.name,
    arch: vm.arch,
    sourceImage: vm.source.kind === 'golden-image' ? vm.source.goldenImageName : undefined,
    sizeBytes: vm.sizeOnDiskBytes ?? undefined,
    state: vm.packing ? 'packing' : vm.state,
    corporate: vm.corporate,
    removable: vm.removable,
  };
}

/** The agent's properties as the Agent view shows them. */
export function toAgentView(agent: AgentProperties): AgentPropertiesView {
  return {
    deviceId: agent.deviceId,
    version: agent.version,
    arch: agent.arch,
    portalUrl: agent.portalUrl ?? '',
    embeddedPortal: agent.embeddedPortal,
    lastConnectedAt: agent.lastConnectedAt ?? undefined,
    policiesReceivedAt: agent.policiesReceivedAt ?? undefined,
    policyRevision: agent.policyRevision ?? undefined,
    lastCheckInError: agent.lastCheckInError?.code,
  };
}

/** The resume offer for a partial download kept on disk. */
export function toInterrupted(
  resumable: ResumableDownload | null,
): InterruptedDownload | undefined {
  if (!resumable) return undefined;
  return {
    imageName: resumable.image?.name ?? 'the corporate VM',
    transferred: resumable.bytes,
    total: resumable.total ?? undefined,
  };
}

/** One Activity row: the event's type and time, with its most telling field as the detail. */
export function toActivityEntry({ event, delivery }: ContractActivityEntry): ActivityEntry {
  const detail = 'name' in event ? event.name : 'error' in event ? event.error.code : undefined;
  return { id: event.id, type: event.type, at: event.at, detail, delivery };
}
