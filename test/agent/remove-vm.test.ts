import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { ParallelsBackend } from '../../electron/agent/hypervisor/parallels-backend.ts';
import { SimulatedBackend } from '../../electron/agent/hypervisor/simulated-backend.ts';
import { removeRegisteredVm } from '../../electron/agent/remove-vm.ts';
import { VmRegistry } from '../../electron/agent/vm-registry.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { fakeParallels } from './hypervisor/fake-prlctl.ts';

const tempDir = useTempDirs();
const deviceId = crypto.randomUUID();

async function registered(hypervisor?: 'parallels') {
  const home = await tempDir();
  const path = join(home, 'Parallels', 'Old.pvm');
  await mkdir(path, { recursive: true });
  const vm: VmRecord = {
    uuid: crypto.randomUUID(),
    name: 'Old',
    path,
    arch: 'arm64',
    source: { kind: 'assistant', os: 'ubuntu-24.04' },
    registeredAt: new Date().toISOString(),
    state: 'stopped',
    ...(hypervisor ? { hypervisor } : {}),
  };
  const registry = new VmRegistry(openAgentStore(home));
  registry.add(vm);
  return { vm, registry };
}

describe('removing a registered VM', () => {
  it('refuses a Parallels VM when this run does not use Parallels, and keeps it registered', async () => {
    const { vm, registry } = await registered('parallels');
    await expect(
      removeRegisteredVm({ registry, backend: new SimulatedBackend(), deviceId, vm }),
    ).rejects.toMatchObject({ code: 'PARALLELS_NOT_INSTALLED' });
    expect(registry.list().map((known) => known.uuid)).toEqual([vm.uuid]);
  });

  it('forgets a Parallels VM that Parallels no longer lists, without a prlctl delete', async () => {
    const { vm, registry } = await registered('parallels');
    const fake = fakeParallels(await tempDir());
    const backend = new ParallelsBackend({ env: fake.env() });

    await removeRegisteredVm({ registry, backend, deviceId, vm });

    expect(registry.list()).toEqual([]);
    expect((await fake.calls()).map((argv) => argv[0])).toEqual(['list']);
  });
});
