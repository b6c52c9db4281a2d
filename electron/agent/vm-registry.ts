import { stat } from 'node:fs/promises';
import { vmRecordSchema, type VmRecord } from '../../shared/agent-store-schema.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import type { AgentStore } from './agent-store.ts';

/** The VMs this agent registered, kept in the agent store. */
export class VmRegistry {
  readonly #store: AgentStore;

  constructor(store: AgentStore) {
    this.#store = store;
  }

  /** Every registered VM, oldest first. */
  list(): VmRecord[] {
    return this.#store.get('vms') ?? [];
  }

  /** The VM made from the golden image with this checksum, if any. */
  findBySha256(sha: string): VmRecord | undefined {
    const wanted = sha.trim().toLowerCase();
    return this.list().find(
      (vm) => vm.source.kind === 'golden-image' && vm.source.sha256 === wanted,
    );
  }

  /** Adds a VM; an invalid record or a uuid already registered is refused. */
  add(record: VmRecord): void {
    const parsed = vmRecordSchema.safeParse(record);
    if (!parsed.success) {
      throw new ProvisimError('REGISTRATION_FAILED', {
        message: `The VM record for "${String(record.name).slice(0, 80)}" is invalid: ${parsed.error.issues
          .map((issue) => `${issue.path.join('.')} ${issue.message}`)
          .join('; ')}`,
      });
    }
    const vms = this.list();
    if (vms.some((vm) => vm.uuid === parsed.data.uuid)) {
      throw new ProvisimError('REGISTRATION_FAILED', {
        message: `A VM with the UUID ${parsed.data.uuid} is already registered.`,
        details: { uuid: parsed.data.uuid },
      });
    }
    this.#store.set('vms', [...vms, parsed.data]);
  }

  /** Changes a VM's name and path (after a rename); undefined for an unknown uuid. */
  update(uuid: string, patch: Pick<VmRecord, 'name' | 'path'>): VmRecord | undefined {
    const vms = this.list();
    const found = vms.find((vm) => vm.uuid === uuid);
    if (!found) return undefined;
    const updated = { ...found, ...patch };
    this.#store.set(
      'vms',
      vms.map((vm) => (vm.uuid === uuid ? updated : vm)),
    );
    return updated;
  }

  /** Removes a VM from the registry (its files stay); unknown uuids are ignored. */
  remove(uuid: string): void {
    const vms = this.list();
    const kept = vms.filter((vm) => vm.uuid !== uuid);
    if (kept.length !== vms.length) this.#store.set('vms', kept);
  }

  /** Drops the records whose VM folder no longer exists and returns them (a simulated VM has none). */
  async pruneMissing(): Promise<VmRecord[]> {
    const checks = await Promise.all(
      this.list().map(async (vm) => ({
        vm,
        missing: vm.simulated !== true && (await isMissing(vm.path)),
      })),
    );
    const gone = new Set(checks.filter((c) => c.missing).map((c) => c.vm.uuid));
    if (gone.size === 0) return [];
    // Re-read so a VM added while the folders were checked is kept.
    const vms = this.list();
    this.#store.set(
      'vms',
      vms.filter((vm) => !gone.has(vm.uuid)),
    );
    return checks.filter((c) => c.missing).map((c) => c.vm);
  }
}

async function isMissing(path: string): Promise<boolean> {
  try {
    await stat(path);
    return false;
  } catch (error) {
    // Only a folder that is really gone counts; an unreadable one (EACCES) stays registered.
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
