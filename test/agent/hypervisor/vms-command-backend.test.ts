import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../../electron/agent/agent-store.ts';
import { ParallelsBackend } from '../../../electron/agent/hypervisor/parallels-backend.ts';
import { commitAndRegister } from '../../../electron/agent/register-vm.ts';
import { VmRegistry } from '../../../electron/agent/vm-registry.ts';
import { writeSampleVm } from '../../archive/helpers/sample-vm.ts';
import { runCliProcess } from '../../helpers/cli-process.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { fakeParallels } from './fake-prlctl.ts';

const tempDir = useTempDirs();

// A home with one VM Provisim registered in (fake) Parallels Desktop, and one VM of the user's.
async function homeWithParallelsVms() {
  const home = await tempDir('provisim-home-');
  const fake = fakeParallels(await tempDir('provisim-prl-state-'));
  const backend = new ParallelsBackend({ env: fake.env() });
  const stagingDir = await tempDir('provisim-staging-');
  await writeSampleVm(stagingDir, { name: 'Finance' });
  const ours = await commitAndRegister({
    home,
    stagingDir,
    hostArch: 'arm64',
    vmDir: join(home, 'Parallels'),
    registry: new VmRegistry(openAgentStore(home)),
    source: {
      kind: 'golden-image',
      goldenImageId: 'img-1',
      goldenImageName: 'Corporate Windows 11',
      url: 'https://images.example.com/win11.pvmp',
      sha256: 'a'.repeat(64),
      policyRevision: 4,
    },
    backend,
  });
  const theirs = await backend.registerBundle(
    await writeSampleVm(await tempDir(), { name: 'Games' }),
    'Games',
  );
  return { home, fake, ours, theirs };
}

describe('provisim vms --backend', () => {
  it("parallels lists Parallels Desktop's VMs, marking the one Provisim registered", async () => {
    const { home, fake, ours, theirs } = await homeWithParallelsVms();

    const json = await runCliProcess(
      ['vms', '--home', home, '--backend', 'parallels', '--json'],
      fake.env(),
    );
    const table = await runCliProcess(
      ['vms', '--home', home, '--backend', 'parallels'],
      fake.env(),
    );

    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        uuid: ours.uuid,
        provisim: true,
        arch: 'arm64',
        inHypervisor: true,
      }),
      expect.objectContaining({ uuid: theirs.uuid, provisim: false, source: null, name: 'Games' }),
    ]);
    expect(table.stdout.split('\n')).toEqual([
      'NAME\tARCH\tSTATE\tSOURCE\tFOLDER',
      `Finance\tarm64\tstopped\tgolden image "Corporate Windows 11" rev 4\t${ours.path}`,
      `Games\t-\tstopped\tParallels Desktop (not by Provisim)\t${theirs.path}`,
      '',
    ]);
  });

  it("simulated lists Provisim's registry only, asking prlctl nothing", async () => {
    const { home, fake, ours } = await homeWithParallelsVms();
    const before = await fake.calls();

    const json = await runCliProcess(
      ['vms', '--home', home, '--backend', 'simulated', '--json'],
      fake.env(),
    );

    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ uuid: ours.uuid, hypervisor: 'parallels' }),
    ]);
    expect(await fake.calls()).toEqual(before);
  });

  it('parallels without prlctl exits 1 with PARALLELS_NOT_INSTALLED', async () => {
    const home = await tempDir();
    const run = await runCliProcess(['vms', '--home', home, '--backend', 'parallels', '--json'], {
      PROVISIM_PRLCTL: join(home, 'no-prlctl'),
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'PARALLELS_NOT_INSTALLED' } });
  });
});
