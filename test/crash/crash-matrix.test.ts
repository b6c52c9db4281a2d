import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson } from '../helpers/cli-process.ts';
import { startImageServer, type ImageServer } from '../helpers/image-server.ts';
import {
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
  type FixtureImage,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import {
  bytesSent,
  expectCleanlyRegistered,
  heldBytes,
  referenceBundle,
  resultOf,
  runAgent,
  type CrashHome,
} from './crash-fixture.ts';

const MiB = 1024 * 1024;

/** The entry names of a tar file, in order, as GNU tar lists them. */
async function entryNames(archive: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('tar', ['-tf', archive]);
  return stdout.split('\n').filter((line) => line !== '');
}
const SIZE = 3 * MiB;

// Where a kill -9 lands, in pipeline order; those from 'after-verify' on hold a verified image.
const POINTS = [
  'after-lock',
  'after-check-in',
  'after-accept',
  'after-resume-state',
  'after-entry-journaled:1',
  'bytes:4096',
  `bytes:${Math.floor(SIZE / 10)}`,
  'after-entry-journaled:5',
  `bytes:${SIZE / 2}`,
  'after-checkpoint',
  `bytes:${Math.floor((SIZE * 9) / 10)}`,
  'before-verify',
  'after-verify',
  'after-unpack',
  'after-validate',
  'after-claim-noted',
  'after-claim',
  'after-move',
  'after-registry-write',
  'after-note-cleared',
  'after-download-removed',
  'before-result',
] as const;
const VERIFIED_FROM = POINTS.indexOf('after-verify');

describe('kill -9 at every point of the pipeline, then a rerun', () => {
  const tempDir = useTempDirs();
  let dataDir: string;
  let image: FixtureImage;
  let server: ImageServer;
  let portal: { url: string; close(): Promise<void> };
  let reference: string;

  beforeAll(async () => {
    // Not a per-test temp folder: the image must outlive each test.
    dataDir = await mkdtemp(join(tmpdir(), 'provisim-crash-'));
    // This name's disk data file sorts before DiskDescriptor.xml, so an entry follows the large
    // file: 'after-entry-journaled:5' then lands while that file's last bytes may be queued.
    image = await makeFixtureImage(dataDir, { name: 'Crash VM', arch: 'arm64', sizeBytes: SIZE });
    expect(await entryNames(image.archivePath)).toEqual([
      'Crash VM.pvm/',
      'Crash VM.pvm/config.pvs',
      'Crash VM.pvm/harddisk.hdd/',
      expect.stringMatching(/^Crash VM\.pvm\/harddisk\.hdd\/[0-9a-f-]+\.hds$/),
      'Crash VM.pvm/harddisk.hdd/DiskDescriptor.xml',
    ]);
    server = await startImageServer({
      body: { file: image.archivePath, size: image.sizeBytes },
      etag: '"v1"',
    });
    portal = await startFixturePortal(
      dataDir,
      fixtureOrg({ arm64: { url: server.url, checksum: image.sha256 } }),
    );
    reference = await referenceBundle(image, dataDir);
  });
  afterAll(async () => {
    await portal?.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function killedAt(point: string): Promise<CrashHome> {
    const target = { home: await tempDir(), portalUrl: portal.url, image, server };
    const killed = await runAgent(target, point);
    expect(killed.signal, `${point}: ${killed.stderr}`).toBe('SIGKILL');
    return target;
  }

  it.each(POINTS.map((point, index) => [point, index] as const))(
    'killed at %s, the rerun registers exactly one VM and fetches only what is missing',
    async (point, index) => {
      const target = await killedAt(point);
      const held = await heldBytes(target);
      const before = bytesSent(server);

      const rerun = await runAgent(target);

      expect(rerun.code, `${rerun.stdout}\n${rerun.stderr}`).toBe(0);
      expect(resultOf(rerun.stdout)?.outcome).toMatch(/^(registered|already-registered)$/);
      // What the killed run held is continued, never thrown away for a fresh start.
      const restarted = ndjson(rerun.stdout).filter((line) => line.type === 'download-restarted');
      expect(restarted).toEqual([]);
      const fetched = bytesSent(server) - before;
      if (index >= VERIFIED_FROM) expect(fetched).toBe(0);
      else expect(fetched).toBeLessThanOrEqual(image.sizeBytes - held + MiB);
      await expectCleanlyRegistered(target, reference);
    },
  );

  it('killed again while it re-hashes what it held, the third run still resumes', async () => {
    const target = await killedAt(`bytes:${SIZE / 2}`);
    const held = await heldBytes(target);
    const again = await runAgent(target, 'during-replay');
    expect(again.signal).toBe('SIGKILL');
    expect(await heldBytes(target)).toBe(held);
    const before = bytesSent(server);

    expect((await runAgent(target)).code).toBe(0);
    expect(bytesSent(server) - before).toBeLessThanOrEqual(image.sizeBytes - held + MiB);
    await expectCleanlyRegistered(target, reference);
  });
});
