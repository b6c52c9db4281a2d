import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { ParallelsBackend } from '../../electron/agent/hypervisor/parallels-backend.ts';
import { SimulatedBackend } from '../../electron/agent/hypervisor/simulated-backend.ts';
import { pendingPacked, type PendingPacked } from '../../electron/agent/packed-note.ts';
import { recoverPendingPacked } from '../../electron/agent/pending-packed.ts';
import { registerPackedImage } from '../../electron/agent/register-packed.ts';
import { VmRegistry } from '../../electron/agent/vm-registry.ts';
import type { VmSource } from '../../shared/agent-store-schema.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { fakeParallels, writeFakePacked } from './hypervisor/fake-prlctl.ts';

type RegisterPackedArgs = Parameters<ParallelsBackend['registerPacked']>;

const tempDir = useTempDirs();
const source: VmSource = {
  kind: 'golden-image',
  goldenImageId: 'img-1',
  goldenImageName: 'Corporate Windows 11',
  url: 'https://images.example.com/win11.pvmp',
  sha256: 'b'.repeat(64),
  policyRevision: 3,
};

async function setUp(builtFor = 'arm64') {
  const home = await tempDir('provisim-home-');
  const vmDir = join(home, 'Parallels');
  const download = join(home, 'image.partial');
  await writeFakePacked(download, { uuid: randomUUID(), name: 'Golden', arch: builtFor });
  const registry = new VmRegistry(openAgentStore(home));
  const fake = fakeParallels(await tempDir('provisim-prl-state-'));
  return { home, vmDir, download, registry, fake };
}

describe('the crash note of a packed registration', () => {
  it('is written before the file moves and gone once the VM is recorded', async () => {
    const { home, vmDir, download, registry, fake } = await setUp();
    const notes: PendingPacked[] = [];
    // Reads the note at the moment the backend is about to move the file.
    class Watched extends ParallelsBackend {
      override registerPacked(...[file, dir, name, onClaimed]: RegisterPackedArgs) {
        return super.registerPacked(file, dir, name, async (placed, vmName) => {
          await onClaimed?.(placed, vmName);
          notes.push(JSON.parse(await readFile(pendingPacked.path(home), 'utf8')) as PendingPacked);
          expect(existsSync(download)).toBe(true);
        });
      }
    }
    const watched = new Watched({ env: fake.env() });
    const file = download;
    const bytes = (await stat(download)).size;
    const record = await registerPackedImage({
      ...{ home, registry, file, vmDir, name: 'Golden', arch: 'arm64', source },
      backend: watched,
    });
    expect(notes).toEqual([
      {
        from: download,
        bytes,
        placed: join(vmDir, 'Golden.pvmp'),
        vmName: 'Golden',
        arch: 'arm64',
        source,
      },
    ]);
    expect(registry.list()).toEqual([record]);
    expect(existsSync(pendingPacked.path(home))).toBe(false);
  });

  it('is cleared, with the VM folder as it was, when Parallels refuses the file', async () => {
    const { home, vmDir, download, registry, fake } = await setUp();
    const backend = new ParallelsBackend({ env: fake.env('register=failed') });
    const file = download;
    await expect(
      registerPackedImage({
        ...{ home, registry, file, vmDir, name: 'Golden', arch: 'arm64', source },
        backend,
      }),
    ).rejects.toMatchObject({ code: 'PARALLELS_REGISTER_FAILED' });
    expect(existsSync(download)).toBe(true);
    expect(await readdir(vmDir)).toEqual([]);
    expect(existsSync(pendingPacked.path(home))).toBe(false);
  });

  it('after a crash before the move, drops the claimed file and keeps the download for the rerun', async () => {
    const { home, vmDir, download, registry, fake } = await setUp();
    const placed = join(home, 'Golden.pvmp');
    await writeFile(placed, '');
    await pendingPacked.write(home, {
      from: download,
      bytes: (await stat(download)).size,
      placed,
      vmName: 'Golden',
      arch: 'arm64',
      source,
    });
    const backend = new ParallelsBackend({ env: fake.env() });

    expect(await recoverPendingPacked(home, registry, backend)).toBeUndefined();
    expect(existsSync(placed)).toBe(false);
    expect(existsSync(download)).toBe(true);
    expect(existsSync(pendingPacked.path(home))).toBe(false);
    expect(await fake.calls()).toEqual([]);
    expect(existsSync(vmDir)).toBe(false);
  });

  it('is kept while the backend cannot finish it, and a damaged one is dropped', async () => {
    const { home, download, registry } = await setUp();
    const placed = join(home, 'Golden.pvmp');
    await writeFile(placed, 'packed bytes');
    const note = { from: join(home, 'moved.partial'), bytes: 12, placed, vmName: 'Golden' };
    await pendingPacked.write(home, { ...note, arch: 'arm64', source });

    expect(await recoverPendingPacked(home, registry, new SimulatedBackend())).toBeUndefined();
    expect(existsSync(pendingPacked.path(home))).toBe(true);
    expect(existsSync(placed)).toBe(true);

    await writeFile(pendingPacked.path(home), '{"from": 3');
    expect(await recoverPendingPacked(home, registry, new SimulatedBackend())).toBeUndefined();
    expect(existsSync(pendingPacked.path(home))).toBe(false);
    expect(existsSync(download)).toBe(true);
  });
});

describe('registering a packed VM', () => {
  it('deletes a VM built for the other architecture, with VM_INVALID, and records nothing', async () => {
    const { home, vmDir, download, registry, fake } = await setUp('x86_64');
    const backend = new ParallelsBackend({ env: fake.env() });
    const file = download;
    await expect(
      registerPackedImage({
        ...{ home, registry, file, vmDir, name: 'Golden', arch: 'arm64', source },
        backend,
      }),
    ).rejects.toMatchObject({
      code: 'VM_INVALID',
      message: expect.stringMatching(/built for Intel.*this Mac has Apple silicon/),
    });
    expect(await fake.vms()).toEqual([]);
    expect((await fake.calls()).map((argv) => argv[0])).toContain('delete');
    expect(registry.list()).toEqual([]);
    expect(await readdir(vmDir)).toEqual([]);
    expect(existsSync(pendingPacked.path(home))).toBe(false);
  });
});

describe('finishing a packed VM the download had been moved for', () => {
  // The state a kill right after the move leaves: the file in the VM folder, the note naming it.
  async function movedThenKilled(builtFor = 'arm64', keep?: number) {
    const setup = await setUp(builtFor);
    const { home, vmDir, download } = setup;
    const bytes = (await stat(download)).size;
    const placed = join(vmDir, 'Golden.pvmp');
    await mkdir(vmDir, { recursive: true });
    await rename(download, placed);
    // A copy across disks cut short holds only its first bytes.
    if (keep !== undefined) await writeFile(placed, (await readFile(placed)).subarray(0, keep));
    await pendingPacked.write(home, {
      from: download,
      bytes,
      placed,
      vmName: 'Golden',
      arch: 'arm64',
      source,
    });
    return { ...setup, placed };
  }

  it('gives up what Parallels refuses, leaving no VM, no file and no note for the next run', async () => {
    const { home, vmDir, registry, fake, placed } = await movedThenKilled();
    const backend = new ParallelsBackend({ env: fake.env('register=failed') });
    expect(await recoverPendingPacked(home, registry, backend)).toBeUndefined();
    expect((await fake.calls()).map((argv) => argv[0])).toContain('register');
    expect(await fake.vms()).toEqual([]);
    expect(existsSync(placed)).toBe(false);
    expect(await readdir(vmDir)).toEqual([]);
    expect(existsSync(pendingPacked.path(home))).toBe(false);
    expect(registry.list()).toEqual([]);
  });

  it('never registers a copy cut short whose download is gone since', async () => {
    const { home, vmDir, registry, fake } = await movedThenKilled('arm64', 20);
    const backend = new ParallelsBackend({ env: fake.env() });
    expect(await recoverPendingPacked(home, registry, backend)).toBeUndefined();
    expect(await fake.calls()).toEqual([]);
    expect(await readdir(vmDir)).toEqual([]);
    expect(existsSync(pendingPacked.path(home))).toBe(false);
  });

  it('deletes and refuses with VM_INVALID a VM built for the other architecture', async () => {
    const { home, vmDir, registry, fake } = await movedThenKilled('x86_64');
    const backend = new ParallelsBackend({ env: fake.env() });
    await expect(recoverPendingPacked(home, registry, backend)).rejects.toMatchObject({
      code: 'VM_INVALID',
    });
    expect(await fake.vms()).toEqual([]);
    expect(await readdir(vmDir)).toEqual([]);
    expect(registry.list()).toEqual([]);
    expect(existsSync(pendingPacked.path(home))).toBe(false);
  });
});
