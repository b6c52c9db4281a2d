import { lstat, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import type { TransferArchive, TransferProgress, VmView } from '../../shared/ipc-contract.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import type { AgentStore } from '../agent/agent-store.ts';
import { VmRegistry } from '../agent/vm-registry.ts';
import type { HypervisorBackend } from '../agent/hypervisor/hypervisor-backend.ts';
import { SimulatedBackend } from '../agent/hypervisor/simulated-backend.ts';
import { packPartialsOf, packVm } from '../archive/pack-vm.ts';
import { busy } from './ipc-errors.ts';

/** A Prepare for Transfer under way. */
interface Packing {
  readonly controller: AbortController;
  readonly done: Promise<TransferArchive>;
  progress: TransferProgress;
}

/** The VM list's actions: simulated start/stop, remove, show in folder, Prepare for Transfer. */
export class VmActions {
  readonly #store: AgentStore;
  readonly #registry: VmRegistry;
  readonly #packing = new Map<string, Packing>();
  readonly #sizes = new Map<string, number | null>();
  readonly #onChange: () => void;
  readonly #backend: HypervisorBackend;
  // Deletes the folders of the VMs Parallels Desktop does not hold (the registry knows where).
  readonly #local: SimulatedBackend;

  /**
   * `onChange` is told when a pack starts, moves on (4 times a second) or ends; `backend` removes
   * the VMs registered in Parallels Desktop (default: simulated, the registry only).
   */
  constructor(
    store: AgentStore,
    onChange: () => void = () => undefined,
    backend?: HypervisorBackend,
  ) {
    this.#store = store;
    this.#registry = new VmRegistry(store);
    this.#onChange = onChange;
    this.#local = new SimulatedBackend({ locate: (uuid) => this.#find(uuid).path });
    this.#backend = backend ?? this.#local;
  }

  /** Removes what a pack cut short by a crash or a forced quit left beside the VMs (at start). */
  async sweepPartials(): Promise<void> {
    const partials = this.#registry.list().flatMap((vm) => packPartialsOf(vm.path));
    await Promise.all(partials.map((path) => rm(path, { force: true })));
  }

  /** The registered VMs as the list shows them. */
  async views(): Promise<VmView[]> {
    return Promise.all(this.#registry.list().map((vm) => this.#view(vm)));
  }

  /** Marks a VM running or stopped (simulated); it cannot start while it is packed. */
  async setState(uuid: string, state: VmRecord['state']): Promise<VmView> {
    const vm = await this.#existing(uuid);
    if (state === 'running' && this.#packing.has(uuid)) {
      throw busy(`"${vm.name}" is being prepared for transfer, so it cannot start now.`);
    }
    const vms = this.#registry
      .list()
      .map((item) => (item.uuid === uuid ? { ...item, state } : item));
    this.#store.set('vms', vms);
    return this.#view({ ...vm, state });
  }

  /**
   * Unregisters a VM, deleting its folder when asked; refused for a corporate VM the policy
   * protects. A VM Parallels Desktop holds is unregistered (or deleted) there first.
   */
  async remove(uuid: string, deleteFiles: boolean): Promise<void> {
    const vm = this.#find(uuid);
    if (!this.#removable(vm)) throw new ProvisimError('VM_REMOVAL_BLOCKED');
    if (this.#packing.has(uuid)) throw busy(`"${vm.name}" is being prepared for transfer.`);
    if (vm.hypervisor === 'parallels' && this.#backend.kind !== 'parallels') {
      // Deleting its files behind Parallels' back would leave Control Center a broken VM.
      throw new ProvisimError('PARALLELS_NOT_INSTALLED', {
        message: `"${vm.name}" is registered in Parallels Desktop, which Provisim does not use now, so it was left alone. Choose Parallels Desktop in Settings → Backend, then remove it.`,
      });
    }
    // One gone from Control Center already is only Provisim's to forget.
    const inParallels =
      vm.hypervisor === 'parallels' &&
      this.#backend.kind === 'parallels' &&
      (await this.#backend.list()).some((listed) => listed.uuid === uuid);
    // Read again after the await: a pack may have started while Parallels was asked.
    if (this.#packing.has(uuid)) throw busy(`"${vm.name}" is being prepared for transfer.`);
    if (inParallels) await this.#backend.remove(uuid, { deleteFiles });
    // Forgotten before its files go: a quit during a long delete leaves a leftover folder, never
    // a half-deleted VM in the list.
    this.#registry.remove(uuid);
    this.#sizes.delete(uuid);
    // Only a VM bundle is ever deleted, whatever a tampered registry may say.
    if (!inParallels && deleteFiles && vm.path.endsWith('.pvm')) {
      await rm(vm.path, { recursive: true, force: true });
    }
  }

  /** The VM's folder, for the window to reveal. */
  async folderOf(uuid: string): Promise<{ path: string }> {
    return { path: (await this.#existing(uuid)).path };
  }

  /**
   * Packs a VM to `<name>.pvmp` plus `<name>.sha256.txt` beside it; one pack per VM at a time,
   * refused while the VM runs. Answers CANCELLED when cancelTransfer or closing stopped it.
   */
  async prepareTransfer(uuid: string): Promise<TransferArchive> {
    await this.#existing(uuid);
    // Read again after the await: a Start or Remove may have landed while the folder was checked.
    const vm = this.#find(uuid);
    if (this.#packing.has(uuid)) throw busy(`"${vm.name}" is already being prepared for transfer.`);
    if (vm.state === 'running') throw new ProvisimError('VM_RUNNING');
    const controller = new AbortController();
    const packing: Packing = {
      controller,
      progress: { readBytes: 0, totalBytes: 0 },
      done: packVm(vm.path, {
        signal: controller.signal,
        // packVm reports a few times a second at most: each report is one state push.
        onProgress: (progress) => {
          packing.progress = progress;
          this.#onChange();
        },
      }).then(({ archivePath, sha256Path, sha256, sizeBytes }) => ({
        archivePath,
        sha256Path,
        sha256,
        sizeBytes,
      })),
    };
    this.#packing.set(uuid, packing);
    this.#onChange();
    try {
      return await packing.done;
    } finally {
      this.#packing.delete(uuid);
      this.#onChange();
    }
  }

  /** Whether Prepare for Transfer is reading this VM now. */
  isPacking(uuid: string): boolean {
    return this.#packing.has(uuid);
  }

  /** Cancels the VM's pack, if one runs, and resolves once its partial archive is removed. */
  async cancelTransfer(uuid: string): Promise<void> {
    this.#find(uuid);
    const packing = this.#packing.get(uuid);
    if (!packing) return;
    packing.controller.abort();
    await packing.done.catch(() => undefined);
  }

  /** Cancels the packs under way and waits until their partial archives are gone (closing). */
  async settle(): Promise<void> {
    const packs = [...this.#packing.values()];
    for (const packing of packs) packing.controller.abort();
    await Promise.allSettled(packs.map((packing) => packing.done));
  }

  #find(uuid: string): VmRecord {
    const vm = this.#registry.list().find((item) => item.uuid === uuid);
    if (!vm) throw new ProvisimError('VM_NOT_FOUND');
    return vm;
  }

  async #existing(uuid: string): Promise<VmRecord> {
    const vm = this.#find(uuid);
    const folder = await stat(vm.path).catch(() => undefined);
    if (!folder?.isDirectory()) {
      throw new ProvisimError('VM_NOT_FOUND', {
        message: `The folder of "${vm.name}" is gone (${vm.path}). Remove the VM from the list.`,
      });
    }
    return vm;
  }

  #removable(vm: VmRecord): boolean {
    const protect = this.#store.get('policyCache')?.policy.preventCorporateVmRemoval ?? false;
    return !(protect && vm.source.kind === 'golden-image');
  }

  async #view(vm: VmRecord): Promise<VmView> {
    if (!this.#sizes.has(vm.uuid)) this.#sizes.set(vm.uuid, await diskUsage(vm.path));
    return {
      ...vm,
      sizeOnDiskBytes: this.#sizes.get(vm.uuid) ?? null,
      corporate: vm.source.kind === 'golden-image',
      removable: this.#removable(vm),
      packing: this.#packing.get(vm.uuid)?.progress ?? null,
    };
  }
}

// Allocated blocks, not file sizes: a sparse virtual disk counts only what it holds.
async function diskUsage(path: string): Promise<number | null> {
  try {
    const info = await lstat(path);
    if (!info.isDirectory()) return info.blocks * 512;
    const names = await readdir(path);
    let total = info.blocks * 512;
    for (const name of names) total += (await diskUsage(join(path, name))) ?? 0;
    return total;
  } catch {
    return null;
  }
}
