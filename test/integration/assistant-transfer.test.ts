import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVmFromScratch } from '../../electron/agent/installation-assistant.ts';
import { packVm } from '../../electron/archive/pack-vm.ts';
import { fixtureOrg, startFixturePortal } from '../helpers/portal-fixture.ts';
import { useAgentFixture } from '../helpers/agent-fixture.ts';

const { tempDir, portals, run } = useAgentFixture();
const GiB = 2 ** 30;

describe('a VM from the Installation Assistant, prepared for transfer and served as a golden image', () => {
  it.each(['pvmp', 'zip'] as const)(
    'downloads, unpacks and registers on another Mac (%s)',
    async (format) => {
      const created = await createVmFromScratch({
        vmDir: join(await tempDir(), 'Parallels'),
        name: 'Assistant VM',
        os: 'ubuntu-24.04',
        arch: 'arm64',
        diskSizeBytes: 64 * GiB,
      });
      const dataDir = await tempDir();
      await mkdir(join(dataDir, 'images'));
      const archiveName = `Assistant VM.${format}`;
      const packed = await packVm(created.path, {
        format,
        out: join(dataDir, 'images', archiveName),
      });
      // A 64 GB disk that holds nothing yet travels as a few kilobytes.
      expect(packed.sizeBytes).toBeLessThan(64 * 1024);
      const url = `/images/${encodeURIComponent(archiveName)}`;
      const portal = await startFixturePortal(
        dataDir,
        fixtureOrg({ arm64: { url, checksum: packed.sha256 } }),
      );
      portals.push(portal);

      const result = await run(portal, await tempDir()).result;
      expect(result).toMatchObject({ outcome: 'registered', vm: { name: 'Assistant VM' } });
      if (result.outcome !== 'registered') return;
      expect(result.vm.uuid).toBe(created.config.uuid);
      const disk = join(result.vm.path, 'harddisk.hdd');
      const descriptor = await readFile(join(disk, 'DiskDescriptor.xml'), 'utf8');
      expect(descriptor).toContain('<Type>Compressed</Type>');
      expect(descriptor).toContain(`<Disk_size>${(64 * GiB) / 512}</Disk_size>`);
      const data = (await readdir(disk)).find((name) => name.endsWith('.hds'))!;
      expect((await stat(join(disk, data))).size).toBe(0);
    },
  );
});
