import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParallelsBackend } from '../../../electron/agent/hypervisor/parallels-backend.ts';
import { readVmConfig } from '../../../electron/archive/vm-config.ts';
import { SAMPLE_UUID, writeSampleVm } from '../../archive/helpers/sample-vm.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { fakeParallels, writeFakePacked } from './fake-prlctl.ts';

const tempDir = useTempDirs();
const LIST = ['list', '-a', '-i', '--json'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PACKED_UUID = '0d6c1f7e-2b4a-4c3d-9e8f-7a6b5c4d3e2f';

async function setUp(fail?: string) {
  const fake = fakeParallels(await tempDir('provisim-prl-state-'));
  const vmDir = join(await tempDir('provisim-prl-vms-'), 'Parallels');
  return { fake, vmDir, backend: new ParallelsBackend({ env: fake.env(fail) }) };
}

describe('the Parallels backend against the fake prlctl', () => {
  it('registers a bundle with a fresh uuid, then gives its network adapter a new MAC address', async () => {
    const { fake, vmDir, backend } = await setUp();
    const bundle = await writeSampleVm(vmDir, { name: 'Finance' });

    const vm = await backend.registerBundle(bundle, 'Finance');

    expect(vm).toEqual({ uuid: expect.stringMatching(UUID), name: 'Finance', path: bundle });
    expect(vm.uuid).not.toBe(SAMPLE_UUID);
    expect(await fake.calls()).toEqual([
      LIST,
      ['register', bundle, '--regenerate-src-uuid'],
      LIST,
      ['set', vm.uuid, '--device-set', 'net0', '--mac', 'auto'],
    ]);
    expect(await fake.vms()).toMatchObject([{ uuid: vm.uuid, name: 'Finance', packed: false }]);
    // The fake wrote Parallels' new uuid into the bundle, as Parallels Desktop does.
    expect(await readVmConfig(bundle)).toMatchObject({ uuid: vm.uuid, name: 'Finance' });
  });

  it('names the VM "name (2)" when Parallels already has one so named, escaping it in config.pvs', async () => {
    const { fake, vmDir, backend } = await setUp();
    const first = await writeSampleVm(join(vmDir, 'a'), { name: 'R&D <Lab>' });
    const second = await writeSampleVm(join(vmDir, 'b'), { name: 'R&D <Lab>' });
    await backend.registerBundle(first, 'R&D <Lab>');

    const vm = await backend.registerBundle(second, 'r&d <lab>');

    expect(vm.name).toBe('r&d <lab> (2)');
    const xml = await readFile(join(second, 'config.pvs'), 'utf8');
    expect(xml).toContain('<VmName>r&amp;d &lt;lab&gt; (2)</VmName>');
    expect((await readVmConfig(second)).name).toBe('r&d <lab> (2)');
    expect((await fake.vms()).map((item) => item.name)).toEqual(['R&D <Lab>', 'r&d <lab> (2)']);
  });

  it("lists prlctl's VMs: ids, names, folders without the trailing slash, states", async () => {
    const { vmDir, backend } = await setUp();
    expect(await backend.list()).toEqual([]);
    const bundle = await writeSampleVm(vmDir, { name: 'Build Box' });
    const vm = await backend.registerBundle(bundle, 'Build Box');

    expect(await backend.list()).toEqual([
      { uuid: vm.uuid, name: 'Build Box', path: bundle, state: 'stopped' },
    ]);
  });

  it('registers a packed VM in the VM folder, unpacks it there and renames it', async () => {
    const { fake, vmDir, backend } = await setUp();
    const downloads = await tempDir('provisim-prl-downloads-');
    const download = join(downloads, 'image.partial');
    await writeFakePacked(download, { uuid: PACKED_UUID, name: 'Golden Build 42', arch: 'arm64' });

    const vm = await backend.registerPacked(download, vmDir, 'ACME Finance');

    const placed = join(vmDir, 'ACME Finance.pvmp');
    const bundle = join(vmDir, 'ACME Finance.pvm');
    expect(vm).toEqual({ uuid: PACKED_UUID, name: 'ACME Finance', path: bundle });
    expect(await fake.calls()).toEqual([
      LIST,
      ['register', placed],
      LIST,
      ['unpack', PACKED_UUID],
      LIST,
      ['set', PACKED_UUID, '--name', 'ACME Finance'],
      LIST,
    ]);
    expect([existsSync(download), existsSync(placed)]).toEqual([false, false]);
    expect(await readVmConfig(bundle)).toMatchObject({ uuid: PACKED_UUID, arch: 'arm64' });
    expect(await fake.vms()).toMatchObject([{ name: 'ACME Finance', packed: false }]);
  });

  it('unregisters a packed VM whose unpack fails and puts the file back where it was', async () => {
    const { fake, vmDir, backend } = await setUp('unpack=failed');
    const download = join(await tempDir('provisim-prl-downloads-'), 'image.partial');
    await writeFakePacked(download, { uuid: PACKED_UUID, name: 'Golden' });

    await expect(backend.registerPacked(download, vmDir, 'Golden')).rejects.toMatchObject({
      code: 'PARALLELS_COMMAND_FAILED',
    });

    expect((await fake.calls()).slice(-2)).toEqual([
      ['unpack', PACKED_UUID],
      ['unregister', PACKED_UUID],
    ]);
    expect(existsSync(download)).toBe(true);
    expect(existsSync(join(vmDir, 'Golden.pvmp'))).toBe(false);
    expect(await fake.vms()).toEqual([]);
  });

  it('unregisters a bundle again when its MAC address cannot be set', async () => {
    const { fake, vmDir, backend } = await setUp('set=failed');
    const bundle = await writeSampleVm(vmDir, { name: 'Finance' });

    await expect(backend.registerBundle(bundle, 'Finance')).rejects.toMatchObject({
      code: 'PARALLELS_COMMAND_FAILED',
      details: { command: 'set', exitCode: 255 },
    });

    const calls = await fake.calls();
    const uuid = calls[3]![1]!;
    expect(calls.slice(3)).toEqual([
      ['set', uuid, '--device-set', 'net0', '--mac', 'auto'],
      ['unregister', uuid],
    ]);
    expect(await fake.vms()).toEqual([]);
    expect(existsSync(bundle)).toBe(true);
  });

  it('unregisters (files stay) or deletes (files go) as asked', async () => {
    const { fake, vmDir, backend } = await setUp();
    const kept = await backend.registerBundle(await writeSampleVm(join(vmDir, 'a')), 'Kept');
    const gone = await backend.registerBundle(await writeSampleVm(join(vmDir, 'b')), 'Gone');

    await backend.remove(kept.uuid, { deleteFiles: false });
    await backend.remove(gone.uuid, { deleteFiles: true });

    expect((await fake.calls()).slice(-2)).toEqual([
      ['unregister', kept.uuid],
      ['delete', gone.uuid],
    ]);
    expect([existsSync(kept.path), existsSync(gone.path)]).toEqual([true, false]);
    expect(await fake.vms()).toEqual([]);
  });

  it('refuses to remove a VM Parallels does not know, in its own words', async () => {
    const { backend } = await setUp();
    const failure = backend.remove('5b1e0c9a-0000-4000-8000-000000000000', { deleteFiles: false });
    await expect(failure).rejects.toMatchObject({
      code: 'PARALLELS_COMMAND_FAILED',
      message: expect.stringContaining('The virtual machine could not be found'),
    });
  });
});
