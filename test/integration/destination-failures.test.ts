import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, rm, statfs, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { partialPaths } from '../../electron/agent/golden-image-install.ts';
import { heldDownloadBytes } from '../../electron/agent/held-download.ts';
import { runNewVmAction } from '../../electron/agent/provisioning-job.ts';
import type { AgentEvent } from '../../shared/protocol.ts';
import { startImageServer, type ImageServer } from '../helpers/image-server.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const run = promisify(execFile);
const tempDir = useTempDirs();
const MiB = 1024 * 1024;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// A real full or read-only volume needs a mount of its own, which only root may make.
const canMount = process.getuid?.() === 0 && process.platform === 'linux';

async function tmpfs(path: string, options: string): Promise<void> {
  await mkdir(path, { recursive: true });
  await run('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', path]);
  cleanups.push(() => run('umount', ['-l', path]).catch(() => undefined));
}

/**
 * Grows `path` until the volume has about `leave` bytes free. Free space is read again before
 * each step: the agent may still be writing what the socket held when the server stalled.
 */
async function fillUntilFree(path: string, leave: number): Promise<void> {
  const file = await open(path, 'a');
  try {
    for (;;) {
      const { bavail, bsize } = await statfs(dirname(path));
      const step = Math.min(8 * MiB, bavail * bsize - leave);
      if (step < 64 * 1024) return;
      await file.write(Buffer.alloc(step));
    }
  } finally {
    await file.close();
  }
}

async function setup(sizeBytes: number, stallAfter?: number) {
  const dataDir = await tempDir();
  const home = await tempDir();
  const image = await makeFixtureImage(dataDir, { name: 'Dest', arch: 'arm64', sizeBytes });
  const server: ImageServer = await startImageServer({
    body: { file: image.archivePath, size: image.sizeBytes },
    etag: '"v1"',
    script: stallAfter === undefined ? [] : [{ stallAfter }],
  });
  cleanups.push(() => server.close());
  const portal = await startFixturePortal(
    dataDir,
    fixtureOrg({ arm64: { url: server.url, checksum: image.sha256 } }),
  );
  cleanups.push(() => portal.close());
  const events: AgentEvent[] = [];
  const start = (vmDir: string) =>
    runNewVmAction({
      home,
      config: { portalUrl: portal.url, licenseKey: KEYS.eng, arch: 'arm64', vmDir },
      decide: async () => 'accept',
      onEvent: (event) => events.push(event),
    });
  return { home, image, server, start, events };
}

describe('a VM folder that cannot take the VM', () => {
  it('is named before any image byte is fetched when a file is in its way', async () => {
    const { home, server, start } = await setup(MiB);
    const vmDir = join(home, 'blocked');
    await writeFile(vmDir, 'a file, not a folder');
    const result = await start(join(vmDir, 'VMs'));
    expect(result).toMatchObject({
      outcome: 'failed',
      error: { code: 'FOLDER_NOT_WRITABLE', message: expect.stringContaining('ENOTDIR') },
    });
    expect(server.requests).toHaveLength(0);
  });

  it.runIf(canMount)('is named EROFS on a read-only volume, before any image byte', async () => {
    const { home, server, start } = await setup(MiB);
    const vmDir = join(home, 'readonly');
    await tmpfs(vmDir, 'ro,size=4m');
    const result = await start(vmDir);
    expect(result).toMatchObject({
      outcome: 'failed',
      error: { code: 'FOLDER_NOT_WRITABLE', message: expect.stringContaining('EROFS') },
    });
    expect(server.requests).toHaveLength(0);
  });

  it.runIf(canMount)(
    'keeps what arrived when the disk fills during the unpacking, and the next run continues',
    async () => {
      const size = 48 * MiB;
      const { home, image, server, start, events } = await setup(size, size / 2);
      const vmDir = join(home, 'small');
      // Room for the VM and the headroom, until another program takes it.
      await tmpfs(vmDir, `size=${size + 600 * MiB}`);
      const first = start(vmDir);
      await server.whenStalled();
      const filler = join(vmDir, 'filler');
      // Less than what is left to come, with room for the batch the agent may still be writing.
      await fillUntilFree(filler, 4 * MiB);
      server.release();
      expect(await first).toMatchObject({
        outcome: 'failed',
        error: { code: 'INSUFFICIENT_DISK_SPACE' },
      });
      const downloads = join(home, 'downloads');
      const held = await heldDownloadBytes(downloads, image.sha256);
      expect(held).toBeGreaterThanOrEqual(size / 2);
      expect(existsSync(partialPaths(downloads, image.sha256).journalPath)).toBe(true);

      await rm(filler);
      const sentBefore = server.requests.length;
      expect(await start(vmDir)).toMatchObject({ outcome: 'registered' });
      expect(server.requests[sentBefore]!.headers.range).toBe(`bytes=${held}-`);
      expect(events.filter((e) => e.type === 'download-resumed')).toHaveLength(1);
    },
  );
});
