import { readdir, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppState } from '../../shared/ipc-contract.ts';
import type { AppService } from '../../electron/app/app-service.ts';
import { errorOf, invoke, useAppFixture, valueOf } from './app-fixture.ts';

const { start, stop } = useAppFixture();
const GiB = 2 ** 30;

async function createVm(service: AppService, diskSizeBytes = 2 ** 20) {
  const request = { os: 'fedora-40', name: 'Box', cpus: 1, memoryMb: 1024, diskSizeBytes };
  return valueOf(await invoke(service, 'assistant:create-vm', request));
}

/** A VM as older versions made it: its disk data a sparse file of the full 64 GiB, slow to pack. */
async function createOldVm(service: AppService) {
  const vm = await createVm(service);
  const disk = join(vm.path, 'harddisk.hdd');
  const data = (await readdir(disk)).find((name) => name.endsWith('.hds'))!;
  await truncate(join(disk, data), 64 * GiB);
  return vm;
}

const reading = (state: AppState) => (state.vms[0]?.packing?.readBytes ?? 0) > 0;

describe('Prepare for Transfer in the VM list', () => {
  it('packs a new 64 GB VM from the Installation Assistant into a few kilobytes', async () => {
    const { service } = await start();
    const vm = await createVm(service, 64 * GiB);
    const packed = valueOf(await invoke(service, 'vm:prepare-transfer', { uuid: vm.uuid }));
    expect(packed.sizeBytes).toBeLessThan(64 * 1024);
  });

  it('refuses a second pack, a removal and a start while the VM is being packed', async () => {
    const { service, pushes } = await start();
    const vm = await createOldVm(service);
    const packing = invoke(service, 'vm:prepare-transfer', { uuid: vm.uuid });
    await pushes.until('state:changed', (state) => state.vms[0]?.packing != null);
    expect(errorOf(await invoke(service, 'vm:prepare-transfer', { uuid: vm.uuid })).code).toBe(
      'AGENT_BUSY',
    );
    const remove = await invoke(service, 'vm:remove', { uuid: vm.uuid, deleteFiles: true });
    expect(errorOf(remove).code).toBe('AGENT_BUSY');
    const started = errorOf(await invoke(service, 'vm:start', { uuid: vm.uuid }));
    expect(started).toMatchObject({ code: 'AGENT_BUSY', retryable: true });
    expect(started.message).toContain('"Box" is being prepared for transfer');
    expect(service.state().vms[0]!.state).toBe('stopped');
    valueOf(await invoke(service, 'vm:cancel-transfer', { uuid: vm.uuid }));
    expect(errorOf(await packing).code).toBe('CANCELLED');
    expect(service.state().vms[0]!.packing).toBeNull();
  });

  it('pushes how far the pack has read, a few times a second at most', async () => {
    const { service, pushes } = await start();
    const vm = await createOldVm(service);
    const since = pushes.messages.length;
    const packing = invoke(service, 'vm:prepare-transfer', { uuid: vm.uuid });
    const began = performance.now();
    await pushes.until('state:changed', (state) => reading(state), since);
    await pushes.until(
      'state:changed',
      (state) => (state.vms[0]?.packing?.readBytes ?? 0) > GiB / 4,
    );
    valueOf(await invoke(service, 'vm:cancel-transfer', { uuid: vm.uuid }));
    await packing;
    const seconds = (performance.now() - began) / 1000;
    const shown = pushes
      .all('state:changed')
      .map((state) => state.vms[0]?.packing)
      .filter((progress) => progress != null && progress.readBytes > 0);
    const reads = shown.map((progress) => progress!.readBytes);
    expect(reads).toEqual([...reads].sort((a, b) => a - b));
    // 64 GiB of disk plus the small config and descriptor files.
    expect(shown[0]!.totalBytes - 64 * GiB).toBeGreaterThan(0);
    expect(shown[0]!.totalBytes - 64 * GiB).toBeLessThan(4096);
    expect(shown.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 2);
  });

  it('cancels a pack: CANCELLED, and no partial or checksum file beside the VM', async () => {
    const { service, pushes } = await start();
    const vm = await createOldVm(service);
    const packing = invoke(service, 'vm:prepare-transfer', { uuid: vm.uuid });
    await pushes.until('state:changed', reading);
    valueOf(await invoke(service, 'vm:cancel-transfer', { uuid: vm.uuid }));
    // Cancel answers once the partial is gone.
    expect(await readdir(dirname(vm.path))).toEqual(['Box.pvm']);
    expect(errorOf(await packing).code).toBe('CANCELLED');
    expect(service.state().vms[0]!.packing).toBeNull();
    // Nothing to cancel any more: not an error.
    valueOf(await invoke(service, 'vm:cancel-transfer', { uuid: vm.uuid }));
  });

  it('removes at start what a pack cut short by a crash left beside the VM', async () => {
    const first = await start();
    const vm = await createVm(first.service);
    await stop(first.service);
    const folder = dirname(vm.path);
    const leftovers = ['Box.pvmp.partial', 'Box.sha256.txt.partial', 'Box.zip.partial'];
    for (const name of leftovers) await writeFile(join(folder, name), 'cut short');
    await writeFile(join(folder, 'Box.pvmp'), 'a finished archive stays');
    await start({ home: first.home });
    expect((await readdir(folder)).sort()).toEqual(['Box.pvm', 'Box.pvmp']);
  });

  it('cancels the pack under way when the app closes and leaves nothing behind', async () => {
    const { service, pushes } = await start();
    const vm = await createOldVm(service);
    const packing = invoke(service, 'vm:prepare-transfer', { uuid: vm.uuid });
    await pushes.until('state:changed', reading);
    await stop(service);
    expect(await readdir(dirname(vm.path))).toEqual(['Box.pvm']);
    expect(errorOf(await packing).code).toBe('CANCELLED');
  });

  it('refuses to pack a running VM with VM_RUNNING and writes nothing', async () => {
    const { service } = await start();
    const vm = await createVm(service);
    valueOf(await invoke(service, 'vm:start', { uuid: vm.uuid }));
    const error = errorOf(await invoke(service, 'vm:prepare-transfer', { uuid: vm.uuid }));
    expect(error).toMatchObject({ code: 'VM_RUNNING', retryable: false });
    expect(error.message).toMatch(/Shut it down first/);
    expect(await readdir(dirname(vm.path))).toEqual(['Box.pvm']);
    valueOf(await invoke(service, 'vm:stop', { uuid: vm.uuid }));
    valueOf(await invoke(service, 'vm:prepare-transfer', { uuid: vm.uuid }));
  });
});
