import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../../electron/agent/agent-store.ts';
import { ParallelsBackend } from '../../../electron/agent/hypervisor/parallels-backend.ts';
import { VmRegistry } from '../../../electron/agent/vm-registry.ts';
import { VmActions } from '../../../electron/app/vm-actions.ts';
import type { VmRecord } from '../../../shared/agent-store-schema.ts';
import { writeSampleVm } from '../../archive/helpers/sample-vm.ts';
import { samplePolicy } from '../../helpers/fake-portal.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { fakeParallels } from './fake-prlctl.ts';

const tempDir = useTempDirs();

async function parallelsVm(name: string) {
  const home = await tempDir('provisim-home-');
  const store = openAgentStore(home);
  const fake = fakeParallels(await tempDir('provisim-prl-state-'));
  const backend = new ParallelsBackend({ env: fake.env() });
  const registered = await backend.registerBundle(
    await writeSampleVm(join(home, 'Parallels'), { name }),
    name,
  );
  const record: VmRecord = {
    ...registered,
    arch: 'arm64',
    source: {
      kind: 'golden-image',
      goldenImageId: 'img-1',
      goldenImageName: 'Corporate Windows 11',
      url: 'https://images.example.com/win11.pvmp',
      sha256: 'a'.repeat(64),
      policyRevision: 1,
    },
    registeredAt: new Date().toISOString(),
    state: 'stopped',
    hypervisor: 'parallels',
  };
  new VmRegistry(store).add(record);
  return { store, fake, record, actions: new VmActions(store, undefined, backend) };
}

describe('removing a VM Parallels Desktop holds', () => {
  it('deletes it through prlctl when files go, unregisters it when they stay', async () => {
    const deleted = await parallelsVm('Finance');
    await deleted.actions.remove(deleted.record.uuid, true);
    expect((await deleted.fake.calls()).at(-1)).toEqual(['delete', deleted.record.uuid]);
    expect(existsSync(deleted.record.path)).toBe(false);
    expect(new VmRegistry(deleted.store).list()).toEqual([]);

    const kept = await parallelsVm('Finance');
    await kept.actions.remove(kept.record.uuid, false);
    expect((await kept.fake.calls()).at(-1)).toEqual(['unregister', kept.record.uuid]);
    expect(existsSync(kept.record.path)).toBe(true);
    expect(await kept.fake.vms()).toEqual([]);
  });

  it('asks Parallels nothing when the policy protects corporate VMs', async () => {
    const { store, fake, record, actions } = await parallelsVm('Finance');
    store.set('policyCache', {
      etag: '"1"',
      policy: samplePolicy({ preventCorporateVmRemoval: true }),
      checkInIntervalSec: 300,
      portalUrl: 'https://portal.example.com',
      licenseKey: 'LIC-0001-ABCD',
    });
    const before = await fake.calls();

    await expect(actions.remove(record.uuid, true)).rejects.toMatchObject({
      code: 'VM_REMOVAL_BLOCKED',
    });

    expect(await fake.calls()).toEqual(before);
    expect(await fake.vms()).toHaveLength(1);
    expect(existsSync(record.path)).toBe(true);
  });

  it('only forgets a VM already gone from Parallels Desktop', async () => {
    const { store, fake, record, actions } = await parallelsVm('Finance');
    await new ParallelsBackend({ env: fake.env() }).remove(record.uuid, { deleteFiles: false });

    await actions.remove(record.uuid, false);

    expect((await fake.calls()).at(-1)).toEqual(['list', '-a', '-i', '--json']);
    expect(new VmRegistry(store).list()).toEqual([]);
    expect(existsSync(record.path)).toBe(true);
  });

  it('leaves a Parallels VM alone when Provisim does not use Parallels now', async () => {
    const { store, record } = await parallelsVm('Finance');
    const simulated = new VmActions(store);
    await expect(simulated.remove(record.uuid, true)).rejects.toMatchObject({
      code: 'PARALLELS_NOT_INSTALLED',
    });
    expect(existsSync(record.path)).toBe(true);
    expect(new VmRegistry(store).list().map((vm) => vm.uuid)).toEqual([record.uuid]);
  });
});
