import type { VmRecord, VmSource } from '../../../shared/agent-store-schema.ts';
import type { Arch } from '../../../shared/protocol.ts';
import type { HypervisorVm } from './hypervisor-backend.ts';

/** A VM of the hypervisor's list, Provisim's registry, or both. */
export interface ListedVm {
  readonly uuid: string;
  readonly name: string;
  readonly path: string;
  readonly state: 'stopped' | 'running';
  /** From Provisim's record; null for a VM Provisim did not register. */
  readonly arch: Arch | null;
  /** Registered by Provisim (its registry holds it). */
  readonly provisim: boolean;
  /** Listed by the hypervisor. */
  readonly inHypervisor: boolean;
  /** Where Provisim's VM came from (golden image, Installation Assistant); null for others. */
  readonly source: VmSource | null;
}

/** The hypervisor's VMs (name, path and state as it says), then Provisim's that it does not list. */
export function mergeVmLists(
  listed: readonly HypervisorVm[],
  records: readonly VmRecord[],
): ListedVm[] {
  const byUuid = new Map(records.map((record) => [record.uuid.toLowerCase(), record]));
  const merged: ListedVm[] = listed.map((vm) => {
    const record = byUuid.get(vm.uuid.toLowerCase());
    byUuid.delete(vm.uuid.toLowerCase());
    return {
      uuid: vm.uuid,
      name: vm.name,
      path: vm.path,
      state: vm.state,
      arch: record?.arch ?? vm.arch ?? null,
      provisim: record !== undefined,
      inHypervisor: true,
      source: record?.source ?? null,
    };
  });
  for (const record of byUuid.values()) {
    merged.push({
      uuid: record.uuid,
      name: record.name,
      path: record.path,
      state: record.state,
      arch: record.arch,
      provisim: true,
      inHypervisor: false,
      source: record.source,
    });
  }
  return merged;
}
