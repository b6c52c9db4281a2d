import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_LICENSE_KEYS } from '../../electron/portal/demo-org.ts';
import type { AppService } from '../../electron/app/app-service.ts';
import { errorOf, invoke, useAppFixture, valueOf } from './app-fixture.ts';

const { start } = useAppFixture();

async function createVm(service: AppService, diskSizeBytes = 2 ** 20) {
  const request = { os: 'fedora-40', name: 'Box', cpus: 1, memoryMb: 1024, diskSizeBytes };
  return valueOf(await invoke(service, 'assistant:create-vm', request));
}

describe('the VM list actions', () => {
  it('starts and stops a VM (simulated) and shows its folder', async () => {
    const { service } = await start();
    const vm = await createVm(service);
    expect(valueOf(await invoke(service, 'vm:start', { uuid: vm.uuid }))).toMatchObject({
      state: 'running',
      corporate: false,
      removable: true,
      sizeOnDiskBytes: expect.any(Number),
    });
    expect(service.state().vms[0]!.state).toBe('running');
    expect(valueOf(await invoke(service, 'vm:stop', { uuid: vm.uuid })).state).toBe('stopped');
    expect(valueOf(await invoke(service, 'vm:show-in-folder', { uuid: vm.uuid }))).toEqual({
      path: vm.path,
    });
  });

  it('prepares a VM for transfer: an archive and the SHA-256 file beside it', async () => {
    const { service } = await start();
    const vm = await createVm(service);
    const packed = valueOf(await invoke(service, 'vm:prepare-transfer', { uuid: vm.uuid }));
    expect(packed.archivePath).toBe(vm.path.replace(/\.pvm$/, '.pvmp'));
    const bytes = await readFile(packed.archivePath);
    expect(bytes.length).toBe(packed.sizeBytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(packed.sha256);
    expect(await readFile(packed.sha256Path, 'utf8')).toBe(`${packed.sha256}  Box.pvmp\n`);
  });

  it('removes a VM from the list, deleting its files only when asked', async () => {
    const { service } = await start();
    const kept = await createVm(service);
    valueOf(await invoke(service, 'vm:remove', { uuid: kept.uuid, deleteFiles: false }));
    expect(existsSync(kept.path)).toBe(true);
    await rm(kept.path, { recursive: true });
    const deleted = await createVm(service);
    valueOf(await invoke(service, 'vm:remove', { uuid: deleted.uuid, deleteFiles: true }));
    expect(existsSync(deleted.path)).toBe(false);
    expect(service.state().vms).toEqual([]);
  });

  it('refuses to remove a corporate VM when the policy protects it', async () => {
    const { service, pushes } = await start();
    const settings = service.state().settings;
    valueOf(
      await invoke(service, 'settings:save', {
        ...settings,
        licenseKey: DEMO_LICENSE_KEYS.finance,
      }),
    );
    valueOf(await invoke(service, 'job:start-new-vm'));
    await pushes.phase('invited');
    valueOf(await invoke(service, 'job:answer-invitation', { answer: 'accept' }));
    const done = await pushes.phase('registered');
    const vm = done.vms[0]!;
    expect(vm).toMatchObject({ corporate: true, removable: false, name: 'ACME Finance ARM' });
    const result = await invoke(service, 'vm:remove', { uuid: vm.uuid, deleteFiles: true });
    expect(errorOf(result)).toMatchObject({ code: 'VM_REMOVAL_BLOCKED', retryable: false });
    expect(existsSync(vm.path)).toBe(true);
  });

  it('says VM_NOT_FOUND for an unknown VM and for one whose folder is gone', async () => {
    const { service } = await start();
    const uuid = 'no-such-vm';
    for (const result of [
      await invoke(service, 'vm:start', { uuid }),
      await invoke(service, 'vm:stop', { uuid }),
      await invoke(service, 'vm:show-in-folder', { uuid }),
      await invoke(service, 'vm:prepare-transfer', { uuid }),
      await invoke(service, 'vm:cancel-transfer', { uuid }),
      await invoke(service, 'vm:remove', { uuid, deleteFiles: false }),
    ]) {
      expect(errorOf(result).code).toBe('VM_NOT_FOUND');
    }
    const vm = await createVm(service);
    await rm(vm.path, { recursive: true });
    const error = errorOf(await invoke(service, 'vm:show-in-folder', { uuid: vm.uuid }));
    expect(error).toMatchObject({ code: 'VM_NOT_FOUND' });
    expect(error.message).toContain(vm.path);
  });
});
