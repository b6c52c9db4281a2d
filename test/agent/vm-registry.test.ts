import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { VmRegistry } from '../../electron/agent/vm-registry.ts';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const SHA = 'c'.repeat(64);

function record(uuid: string, path: string, sha = SHA): VmRecord {
  return {
    uuid,
    name: `VM ${uuid}`,
    path,
    arch: 'arm64',
    source: {
      kind: 'golden-image',
      goldenImageId: 'img-1',
      goldenImageName: 'Win 11',
      url: 'https://x/a.pvmp',
      sha256: sha,
      policyRevision: 1,
    },
    registeredAt: '2025-01-01T00:00:00.000Z',
    state: 'stopped',
  };
}

describe('VmRegistry', () => {
  it('adds, lists, finds by checksum and removes, persisted in the store', async () => {
    const home = await tempDir();
    const registry = new VmRegistry(openAgentStore(home));
    registry.add(record('u1', '/vms/a.pvm'));
    registry.add({ ...record('u2', '/vms/b.pvm'), source: { kind: 'assistant', os: 'macOS' } });
    const reopened = new VmRegistry(openAgentStore(home));
    expect(reopened.list().map((vm) => vm.uuid)).toEqual(['u1', 'u2']);
    expect(reopened.findBySha256(SHA.toUpperCase())?.uuid).toBe('u1');
    expect(reopened.findBySha256('d'.repeat(64))).toBeUndefined();
    reopened.remove('u1');
    reopened.remove('unknown');
    expect(registry.list().map((vm) => vm.uuid)).toEqual(['u2']);
  });

  it('refuses a duplicate uuid', async () => {
    const registry = new VmRegistry(openAgentStore(await tempDir()));
    registry.add(record('u1', '/vms/a.pvm'));
    expect(() => registry.add(record('u1', '/vms/other.pvm'))).toThrow(
      expect.objectContaining({
        code: 'REGISTRATION_FAILED',
        message: expect.stringContaining('u1'),
      }),
    );
    expect(registry.list()).toHaveLength(1);
  });

  it('refuses an invalid record', async () => {
    const registry = new VmRegistry(openAgentStore(await tempDir()));
    expect(() => registry.add({ ...record('u1', '/vms/a.pvm'), arch: 'mips' as never })).toThrow(
      expect.objectContaining({
        code: 'REGISTRATION_FAILED',
        message: expect.stringContaining('arch'),
      }),
    );
    expect(() => registry.add(record('u2', '/vms/a.pvm', 'XYZ'))).toThrow(/source\.sha256/);
    expect(registry.list()).toEqual([]);
  });

  it('prunes records whose folder vanished', async () => {
    const dir = await tempDir();
    const kept = join(dir, 'kept.pvm');
    const gone = join(dir, 'gone.pvm');
    await mkdir(kept);
    await mkdir(gone);
    const registry = new VmRegistry(openAgentStore(dir));
    registry.add(record('keep', kept));
    registry.add(record('gone', gone));
    expect(await registry.pruneMissing()).toEqual([]);
    await rm(gone, { recursive: true });
    expect((await registry.pruneMissing()).map((vm) => vm.uuid)).toEqual(['gone']);
    expect(registry.list().map((vm) => vm.uuid)).toEqual(['keep']);
  });
});
