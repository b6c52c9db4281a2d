import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { assistantOptions } from '../../electron/app/assistant-actions.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { errorOf, invoke, useAppFixture, valueOf } from './app-fixture.ts';

const { start } = useAppFixture();
const tempDir = useTempDirs();

const BOX = { os: 'fedora-40', name: 'Box', cpus: 1, memoryMb: 1024, diskSizeBytes: 2 ** 20 };

describe('the Installation Assistant in the app', () => {
  it('offers macOS on Apple silicon only', async () => {
    const store = openAgentStore(await tempDir());
    const ids = (arch: 'arm64' | 'x86_64') => assistantOptions(store, arch).oses.map((o) => o.id);
    expect(ids('arm64')).toContain('macos');
    expect(ids('x86_64')).not.toContain('macos');
    expect(ids('x86_64')).toContain('windows-11');
  });

  it('offers macOS by the architecture the service detected, not the machine running the test', async () => {
    for (const [detectedArch, offered] of [
      ['arm64', true],
      ['x86_64', false],
    ] as const) {
      const { service } = await start({ detectedArch });
      const options = valueOf(await invoke(service, 'assistant:get-options'));
      expect(
        options.oses.some((os) => os.id === 'macos'),
        detectedArch,
      ).toBe(offered);
    }
  });

  it('refuses a macOS VM on an Intel Mac, even when asked directly', async () => {
    const { service } = await start({ detectedArch: 'x86_64' });
    const refused = errorOf(await invoke(service, 'assistant:create-vm', { ...BOX, os: 'macos' }));
    expect(refused).toMatchObject({ code: 'INVALID_PAYLOAD' });
    expect(refused.message).toMatch(/Apple silicon/);
    expect(service.state().vms).toEqual([]);
  });

  it('refuses a name a VM in the list already has, whatever its case', async () => {
    const { service } = await start();
    valueOf(await invoke(service, 'assistant:create-vm', BOX));
    const refused = errorOf(
      await invoke(service, 'assistant:create-vm', { ...BOX, name: ' box ' }),
    );
    expect(refused).toMatchObject({ code: 'VM_NAME_TAKEN' });
    expect(refused.message).toBe('A VM named "box" is already on this Mac. Choose another name.');
    expect(service.state().vms.map((vm) => vm.name)).toEqual(['Box']);
  });
});
