import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../../electron/agent/agent-store.ts';
import { ParallelsBackend } from '../../../electron/agent/hypervisor/parallels-backend.ts';
import { pendingRegistrationPath } from '../../../electron/agent/pending-registration.ts';
import { commitAndRegister } from '../../../electron/agent/register-vm.ts';
import { VmRegistry } from '../../../electron/agent/vm-registry.ts';
import type { VmSource } from '../../../shared/agent-store-schema.ts';
import { SAMPLE_UUID, writeSampleVm } from '../../archive/helpers/sample-vm.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { fakeParallels } from './fake-prlctl.ts';

const tempDir = useTempDirs();
const source: VmSource = {
  kind: 'golden-image',
  goldenImageId: 'img-1',
  goldenImageName: 'Corporate Windows 11',
  url: 'https://images.example.com/win11.pvmp',
  sha256: 'a'.repeat(64),
  policyRevision: 3,
};

async function setUp() {
  const home = await tempDir('provisim-home-');
  const stagingDir = await tempDir('provisim-staging-');
  await writeSampleVm(stagingDir, { name: 'Finance' });
  const vmDir = join(home, 'Parallels');
  const registry = new VmRegistry(openAgentStore(home));
  const fake = fakeParallels(await tempDir('provisim-prl-state-'));
  const commit = { home, stagingDir, vmDir, registry, source, hostArch: 'arm64' } as const;
  return { home, vmDir, registry, fake, commit };
}

describe('committing an unpacked VM through a hypervisor backend', () => {
  it("registers it in Parallels Desktop first: the record has Parallels' uuid and is marked", async () => {
    const { home, vmDir, registry, fake, commit } = await setUp();
    const backend = new ParallelsBackend({ env: fake.env() });

    const record = await commitAndRegister({ ...commit, backend });

    const [inParallels] = await fake.vms();
    const path = join(vmDir, 'Finance.pvm');
    expect(record).toMatchObject({
      uuid: inParallels!.uuid,
      name: 'Finance',
      path,
      hypervisor: 'parallels',
      source,
    });
    expect(record.uuid).not.toBe(SAMPLE_UUID);
    expect(registry.list()).toEqual([record]);
    expect(inParallels!.home).toBe(path);
    expect(existsSync(pendingRegistrationPath(home))).toBe(false);
  });

  it('leaves nothing when Parallels refuses it: no VM folder, no record, the code kept', async () => {
    const { home, vmDir, registry, fake, commit } = await setUp();
    const backend = new ParallelsBackend({ env: fake.env('register=failed') });

    await expect(commitAndRegister({ ...commit, backend })).rejects.toMatchObject({
      code: 'PARALLELS_REGISTER_FAILED',
    });

    expect(await readdir(vmDir)).toEqual([]);
    expect(registry.list()).toEqual([]);
    expect(await fake.vms()).toEqual([]);
    expect(existsSync(pendingRegistrationPath(home))).toBe(false);
  });

  it('without a backend registers as before: the bundle its own uuid, no hypervisor mark', async () => {
    const { registry, fake, commit } = await setUp();

    const record = await commitAndRegister(commit);

    expect(record.uuid).toBe(SAMPLE_UUID);
    expect(record).not.toHaveProperty('hypervisor');
    expect(registry.list()).toEqual([record]);
    expect(await fake.calls()).toEqual([]);
  });
});
