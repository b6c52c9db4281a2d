import { rm } from 'node:fs/promises';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { readVmConfig } from '../../archive/vm-config.ts';
import type { HypervisorBackend, HypervisorVm, RegisteredVm } from './hypervisor-backend.ts';

/** What the simulated backend may be told. */
export interface SimulatedBackendOptions {
  /** Finds a VM's folder by uuid (Provisim's registry), for remove() to delete; none: delete nothing. */
  readonly locate?: (uuid: string) => string | undefined;
}

/** No hypervisor: a VM is its folder plus Provisim's own registry, as before Parallels support. */
export class SimulatedBackend implements HypervisorBackend {
  readonly kind = 'simulated';
  readonly #locate: (uuid: string) => string | undefined;

  constructor(options: SimulatedBackendOptions = {}) {
    this.#locate = options.locate ?? (() => undefined);
  }

  /** The bundle's own uuid and name (its config.pvs), unchanged. */
  async registerBundle(path: string, _name: string): Promise<RegisteredVm> {
    const config = await readVmConfig(path);
    return { uuid: config.uuid, name: config.name, path };
  }

  /** Refused: only Parallels Desktop can read its own packed format. */
  async registerPacked(file: string, _vmDir: string, _name: string): Promise<RegisteredVm> {
    throw new ProvisimError('ARCHIVE_INVALID', {
      message:
        'The golden image is a Parallels Desktop packed VM (neither tar nor zip), which only Parallels Desktop can unpack. Run with the parallels backend (--backend parallels, or Settings) on a Mac with Parallels Desktop.',
      details: { file },
    });
  }

  /** None: the registry is Provisim's own. */
  async list(): Promise<HypervisorVm[]> {
    return [];
  }

  /** Deletes the VM's folder when asked, and only a `.pvm` bundle, whatever a tampered registry says. */
  async remove(uuid: string, options: { readonly deleteFiles: boolean }): Promise<void> {
    const path = this.#locate(uuid);
    if (options.deleteFiles && path?.endsWith('.pvm'))
      await rm(path, { recursive: true, force: true });
  }
}
