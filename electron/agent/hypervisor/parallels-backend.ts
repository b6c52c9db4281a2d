import { lstat, realpath } from 'node:fs/promises';
import { ProvisimError, isProvisimError } from '../../../shared/provisim-error.ts';
import { crashPoint } from '../../crash-points.ts';
import type {
  HypervisorBackend,
  HypervisorVm,
  OnPackedClaimed,
  RegisteredVm,
} from './hypervisor-backend.ts';
import { moveFile, placePackedFile } from './packed-file.ts';
import { runPrlctl, type PrlctlOptions, type PrlctlOutput } from './prlctl.ts';
import { comparablePath, LIST_ARGS, parseVmList } from './prlctl-list.ts';
import { freeVmName, writeVmName } from './vm-name.ts';

/** Parallels Desktop through its command-line tool prlctl (Pro, Business and Enterprise editions). */
export class ParallelsBackend implements HypervisorBackend {
  readonly kind = 'parallels';
  readonly #options: PrlctlOptions;

  constructor(options: PrlctlOptions = {}) {
    this.#options = options;
  }

  /**
   * Names the bundle (unique among Parallels' VMs), registers it with a fresh uuid and gives its
   * network adapter a new MAC address; what fails after the register unregisters it again.
   */
  async registerBundle(given: string, name: string): Promise<RegisteredVm> {
    // Parallels lists each VM's Home as an absolute, resolved path: register it under that one.
    const path = await realpath(given);
    const vmName = freeVmName(
      name,
      (await this.list()).map((vm) => vm.name),
    );
    await writeVmName(path, vmName);
    await this.#run(['register', path, '--regenerate-src-uuid']);
    const vm = await this.#registeredAt(path);
    try {
      await this.#run(['set', vm.uuid, '--device-set', 'net0', '--mac', 'auto']);
    } catch (error) {
      await this.#undo(['unregister', vm.uuid]);
      throw error;
    }
    return { uuid: vm.uuid, name: vmName, path: vm.path };
  }

  /**
   * Moves the packed file into `vmDir`, registers it, unpacks it there and names the VM; on a
   * failure the VM is unregistered (deleted once unpacked) and a still-packed file moved back.
   */
  async registerPacked(
    file: string,
    vmDir: string,
    name: string,
    onClaimed?: OnPackedClaimed,
  ): Promise<RegisteredVm> {
    const vmName = freeVmName(
      name,
      (await this.list()).map((vm) => vm.name),
    );
    const placed = await placePackedFile(
      file,
      vmDir,
      vmName,
      onClaimed && (async (target) => onClaimed(await realpath(target), vmName)),
    );
    crashPoint('after-packed-placed');
    return this.#registerPlaced(await realpath(placed), vmName, () => moveFile(placed, file));
  }

  /**
   * Goes on from where a crash stopped a packed registration: unpacks a VM still registered
   * packed, names one already unpacked beside `placed`, or registers `placed` itself.
   */
  async finishPacked(placed: string, vmName: string): Promise<RegisteredVm | undefined> {
    const vms = await this.list();
    const packed = vms.find((vm) => vm.path === comparablePath(placed));
    // Where the fake (and, as far as public sources say, Parallels) unpacks: beside the file.
    const bundle = comparablePath(`${placed.replace(/\.pvmp$/i, '')}.pvm`);
    const unpacked = vms.find((vm) => vm.path === bundle);
    const found = packed ?? unpacked;
    if (found) {
      try {
        return await (packed
          ? this.#unpackAndName(found.uuid, vmName)
          : this.#named(found.uuid, vmName));
      } catch (error) {
        // Ours (it sits where this registration put it), and of no use half done.
        await this.#undo(['delete', found.uuid]);
        throw error;
      }
    }
    const file = await lstat(placed).catch(() => undefined);
    if (!file?.isFile() || file.size === 0) return undefined;
    return this.#registerPlaced(placed, vmName);
  }

  /** Every VM Parallels Desktop has registered, from `prlctl list -a -i --json`. */
  async list(): Promise<HypervisorVm[]> {
    return parseVmList((await this.#run([...LIST_ARGS])).stdout);
  }

  /** `prlctl set --name`, then where Parallels keeps the bundle now. */
  async rename(uuid: string, name: string): Promise<RegisteredVm> {
    await this.#run(['set', uuid, '--name', name]);
    const vm = await this.#find(uuid);
    return { uuid, name: vm.name, path: vm.path };
  }

  /** `prlctl delete` (files too) or `prlctl unregister` (files stay). */
  async remove(uuid: string, options: { readonly deleteFiles: boolean }): Promise<void> {
    await this.#run([options.deleteFiles ? 'delete' : 'unregister', uuid]);
  }

  // Registers a packed file already in the VM folder; what fails unregisters it (deleted once
  // unpacked) and hands a still-packed file to `restore`.
  async #registerPlaced(
    packed: string,
    vmName: string,
    restore?: () => Promise<void>,
  ): Promise<RegisteredVm> {
    let uuid: string | undefined;
    try {
      await this.#run(['register', packed]);
      crashPoint('after-packed-register');
      uuid = (await this.#registeredAt(packed)).uuid;
      return await this.#unpackAndName(uuid, vmName);
    } catch (error) {
      const stillPacked = await lstat(packed).then(
        () => true,
        () => false,
      );
      if (uuid !== undefined) await this.#undo([stillPacked ? 'unregister' : 'delete', uuid]);
      if (stillPacked) await restore?.().catch(() => undefined);
      throw error;
    }
  }

  async #unpackAndName(uuid: string, vmName: string): Promise<RegisteredVm> {
    await this.#run(['unpack', uuid]);
    crashPoint('after-packed-unpack');
    return this.#named(uuid, vmName);
  }

  async #named(uuid: string, vmName: string): Promise<RegisteredVm> {
    const unpacked = await this.#find(uuid);
    if (unpacked.name !== vmName) await this.#run(['set', uuid, '--name', vmName]);
    // A rename may move the bundle: its path is read after it.
    return { uuid, name: vmName, path: (await this.#find(uuid)).path };
  }

  #run(args: readonly string[]): Promise<PrlctlOutput> {
    return runPrlctl(args, this.#options);
  }

  // The registered VM whose home is `path`: prlctl register prints no uuid to rely on.
  async #registeredAt(path: string): Promise<HypervisorVm> {
    const wanted = comparablePath(path);
    const vm = (await this.list()).find((item) => item.path === wanted);
    if (vm) return vm;
    throw new ProvisimError('PARALLELS_REGISTER_FAILED', {
      message:
        'prlctl said it registered the VM, but Parallels Desktop lists no VM in its folder, so Provisim cannot tell which VM it is. Look for it in Control Center and remove it, then try again.',
      details: { path },
    });
  }

  async #find(uuid: string): Promise<HypervisorVm> {
    const vm = (await this.list()).find((item) => item.uuid === uuid);
    if (vm) return vm;
    throw new ProvisimError('PARALLELS_COMMAND_FAILED', {
      message: `Parallels Desktop no longer lists the VM it just registered (${uuid}). Look for it in Control Center, then try again.`,
      details: { uuid },
    });
  }

  // Cleanup after a failure: its own failure is logged, never hides the first one.
  async #undo(args: readonly string[]): Promise<void> {
    await this.#run(args).catch((error: unknown) => {
      this.#options.logger?.warn(
        { err: isProvisimError(error) ? error.details : String(error), args },
        'prlctl cleanup failed',
      );
    });
  }
}
