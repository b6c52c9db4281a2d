import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { runAssistantAction } from '../../electron/agent/assistant-job.ts';
import { Outbox } from '../../electron/agent/outbox.ts';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import { partialPaths } from '../../electron/agent/golden-image-install.ts';
import { heldDownloadBytes } from '../../electron/agent/held-download.ts';
import { runNewVmAction } from '../../electron/agent/provisioning-job.ts';
import { startPortal, type RunningPortal } from '../../electron/portal/server.ts';
import { ndjson, runArgs, startCli } from '../helpers/cli-process.ts';
import { startBlackHole } from '../helpers/black-hole.ts';
import { startImageServer, type ImageServer } from '../helpers/image-server.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('interrupting a download', () => {
  it('exits 130 on SIGINT keeping the partial, and the next run resumes from it', async () => {
    const dataDir = await tempDir();
    const home = await tempDir();
    const image = await makeFixtureImage(dataDir, {
      name: 'Big',
      arch: 'arm64',
      sizeBytes: 4 * 1024 * 1024,
    });
    const half = Math.floor(image.sizeBytes / 2);
    const server: ImageServer = await startImageServer({
      body: { file: image.archivePath, size: image.sizeBytes },
      etag: '"v1"',
      script: [{ stallAfter: half }],
    });
    running.push(server);
    const portal = await startFixturePortal(
      dataDir,
      fixtureOrg({ arm64: { url: server.url, checksum: image.sha256 } }),
    );
    running.push(portal);
    const args = runArgs({ portal: portal.url, license: KEYS.eng, home }, '--accept', '--json');

    const first = startCli(args);
    await server.whenStalled();
    const downloads = join(home, 'downloads');
    const { partialPath, journalPath } = partialPaths(downloads, image.sha256);
    // The server has sent half; wait until the agent has them on disk, then interrupt.
    await vi.waitFor(
      async () => expect(await heldDownloadBytes(downloads, image.sha256)).toBe(half),
      {
        timeout: 10_000,
      },
    );
    first.child.kill('SIGINT');
    const interrupted = await first.done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(ndjson(interrupted.stdout).at(-1)).toMatchObject({
      outcome: 'failed',
      error: { code: 'CANCELLED' },
    });
    // A plain tar is kept as its unpacked files and their journal, never as a second copy.
    expect(await heldDownloadBytes(downloads, image.sha256)).toBe(half);
    expect(existsSync(partialPath)).toBe(false);
    expect(existsSync(journalPath)).toBe(true);
    server.release();

    const second = await startCli(args).done;
    expect(second.code).toBe(0);
    const lines = ndjson(second.stdout);
    expect(lines.find((l) => l.type === 'download-resumed')).toMatchObject({ offset: half });
    expect(lines.at(-1)).toMatchObject({ outcome: 'registered' });
    const resumedRequest = server.requests.at(-1)!;
    expect(resumedRequest.headers.range).toBe(`bytes=${half}-`);
    expect(resumedRequest.bytesSent).toBeLessThanOrEqual(image.sizeBytes - half + 1024 * 1024);
    expect(existsSync(partialPath)).toBe(false);
    expect(existsSync(journalPath)).toBe(false);
  });
});

describe('cancelling a check-in', () => {
  it('ends with CANCELLED at once when the portal never answers', async () => {
    const hole = await startBlackHole();
    running.push(hole);
    const controller = new AbortController();
    const connected = hole.nextConnection();
    const result = runNewVmAction({
      home: await tempDir(),
      config: { portalUrl: hole.url, licenseKey: KEYS.eng },
      signal: controller.signal,
      decide: async () => 'accept',
    });
    await connected;
    controller.abort();
    expect(await result).toMatchObject({ outcome: 'failed', error: { code: 'CANCELLED' } });
  });
});

describe('the event outbox', () => {
  it('keeps events while the portal is down and delivers them once it is back', async () => {
    const dataDir = await tempDir();
    const home = await tempDir();
    const image = await makeFixtureImage(dataDir, { name: 'Eng', arch: 'arm64' });
    const org = fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } });
    const portal: RunningPortal = await startFixturePortal(dataDir, org);
    const port = Number(new URL(portal.url).port);
    const config = { portalUrl: portal.url, licenseKey: KEYS.eng, arch: 'arm64' as const };
    const common = { home, config };
    expect((await runNewVmAction({ ...common, decide: async () => 'accept' })).outcome).toBe(
      'registered',
    );
    await portal.close();

    // The portal is down: the assistant decides from the cached policy and queues its event.
    const created = await runAssistantAction({
      home,
      name: 'Offline',
      os: 'ubuntu-24.04',
      config,
    });
    expect(created.outcome).toBe('created');

    const deviceId = openAgentStore(home).get('deviceId')!;
    const queued = new Outbox({
      home,
      deviceId,
      licenseKey: KEYS.eng,
      client: new PortalClient({ portalUrl: portal.url }),
    });
    expect(queued.pending().map((e) => e.type)).toEqual(['vm-created']);

    const back = await startPortal({ dataDir, org, port, logger: false });
    running.push(back);
    expect((await runNewVmAction({ ...common, decide: async () => 'accept' })).outcome).toBe(
      'already-registered',
    );
    const delivered = back.state.events().filter((e) => e.type === 'vm-created');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ name: 'Offline' });
    expect(queued.pending()).toEqual([]);
  });
});
