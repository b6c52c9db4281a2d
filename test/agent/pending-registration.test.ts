import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import {
  notePendingRegistration,
  pendingRegistrationPath,
  recoverPendingRegistration,
} from '../../electron/agent/pending-registration.ts';
import { VmRegistry } from '../../electron/agent/vm-registry.ts';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { writeSampleVm } from '../archive/helpers/sample-vm.ts';

const tempDir = useTempDirs();

function recordAt(path: string): VmRecord {
  return {
    uuid: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    name: 'Sample',
    path,
    arch: 'arm64',
    source: {
      kind: 'golden-image',
      goldenImageId: 'img-1',
      goldenImageName: 'Win 11',
      url: 'https://files.example/a.pvmp',
      sha256: 'c'.repeat(64),
      policyRevision: 1,
    },
    registeredAt: '2026-01-01T00:00:00.000Z',
    state: 'stopped',
  };
}

async function setup() {
  const home = await tempDir();
  const vmDir = join(home, 'Parallels');
  await mkdir(vmDir);
  return { home, vmDir, registry: new VmRegistry(openAgentStore(home)) };
}

describe('recovering a registration a crash interrupted', () => {
  it('registers a VM folder that was moved in but never registered', async () => {
    const { home, vmDir, registry } = await setup();
    const path = await writeSampleVm(vmDir);
    await notePendingRegistration(home, recordAt(path));

    const recovered = await recoverPendingRegistration(home, registry);

    expect(recovered).toMatchObject({ outcome: 'adopted', vm: { path } });
    expect(registry.list().map((vm) => vm.path)).toEqual([path]);
    expect(existsSync(pendingRegistrationPath(home))).toBe(false);
  });

  it('never adopts another VM that held the name the crashed job was about to claim', async () => {
    const { home, vmDir, registry } = await setup();
    const path = await writeSampleVm(vmDir);
    await notePendingRegistration(home, { ...recordAt(path), uuid: 'another-uuid' });

    expect(await recoverPendingRegistration(home, registry)).toBeUndefined();
    expect(registry.list()).toEqual([]);
    expect(existsSync(join(path, 'config.pvs'))).toBe(true);
  });

  it('removes a claimed but still empty VM folder, so the next commit takes the same name', async () => {
    const { home, vmDir, registry } = await setup();
    const path = join(vmDir, 'Sample.pvm');
    await mkdir(path);
    await notePendingRegistration(home, recordAt(path));

    expect(await recoverPendingRegistration(home, registry)).toMatchObject({
      outcome: 'rolled-back',
    });
    expect(existsSync(path)).toBe(false);
    expect(registry.list()).toEqual([]);
  });

  it('only forgets the note when the registration had finished', async () => {
    const { home, vmDir, registry } = await setup();
    const path = await writeSampleVm(vmDir);
    registry.add(recordAt(path));
    await notePendingRegistration(home, recordAt(path));

    expect(await recoverPendingRegistration(home, registry)).toMatchObject({
      outcome: 'finished',
    });
    expect(registry.list()).toHaveLength(1);
    expect(existsSync(pendingRegistrationPath(home))).toBe(false);
  });

  it('leaves alone a folder that is not a VM, and a note that cannot be read', async () => {
    const { home, vmDir, registry } = await setup();
    const path = join(vmDir, 'Sample.pvm');
    await mkdir(path);
    await writeFile(join(path, 'notes.txt'), 'mine');
    await notePendingRegistration(home, recordAt(path));
    expect(await recoverPendingRegistration(home, registry)).toBeUndefined();
    expect(existsSync(join(path, 'notes.txt'))).toBe(true);

    await writeFile(pendingRegistrationPath(home), '{"uuid": 1');
    expect(await recoverPendingRegistration(home, registry)).toBeUndefined();
    expect(existsSync(pendingRegistrationPath(home))).toBe(false);
    expect(registry.list()).toEqual([]);
  });

  it('finds nothing to do without a note', async () => {
    const { home, registry } = await setup();
    expect(await recoverPendingRegistration(home, registry)).toBeUndefined();
  });
});
