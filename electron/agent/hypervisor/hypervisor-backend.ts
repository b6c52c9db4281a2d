import type { BackendKind } from '../../../shared/agent-store-schema.ts';
import type { Arch } from '../../../shared/protocol.ts';

/** A VM as the hypervisor lists it. */
export interface HypervisorVm {
  readonly uuid: string;
  readonly name: string;
  /** The VM's bundle folder (`….pvm`), as the hypervisor knows it. */
  readonly path: string;
  readonly state: 'stopped' | 'running';
  readonly arch?: Arch;
}

/** What the hypervisor gave a VM it registered. */
export interface RegisteredVm {
  readonly uuid: string;
  readonly name: string;
  readonly path: string;
}

/** Told where a packed VM goes before it moves there, so that a crash note can name it. */
export type OnPackedClaimed = (placed: string, vmName: string) => Promise<void>;

/** Registers, lists and removes VMs: Provisim's own registry, or Parallels Desktop through prlctl. */
export interface HypervisorBackend {
  readonly kind: BackendKind;
  /**
   * Registers the unpacked VM bundle already moved to `path` (a `.pvm` folder in the VM folder),
   * named `name` (the caller made it unique among the VM folder's bundles).
   */
  registerBundle(path: string, name: string): Promise<RegisteredVm>;
  /**
   * Registers a packed VM file (Parallels' own `.pvmp`, neither tar nor zip) whose checksum was
   * verified, unpacks it into `vmDir` and names the VM `name`.
   */
  registerPacked(
    file: string,
    vmDir: string,
    name: string,
    onClaimed?: OnPackedClaimed,
  ): Promise<RegisteredVm>;
  /**
   * Finishes a packed registration a crash cut short, from wherever it stopped (moved in,
   * registered or unpacked); undefined when nothing of it is left. What fails is undone (the VM
   * deleted) before it throws. Absent where nothing is packed.
   */
  finishPacked?(placed: string, vmName: string): Promise<RegisteredVm | undefined>;
  /** Every VM the hypervisor knows; the simulated backend knows none of its own. */
  list(): Promise<HypervisorVm[]>;
  /** Renames a registered VM (Parallels may move its bundle); absent where the registry alone names it. */
  rename?(uuid: string, name: string): Promise<RegisteredVm>;
  /** Unregisters a VM, deleting its files when asked. */
  remove(uuid: string, options: { readonly deleteFiles: boolean }): Promise<void>;
}
