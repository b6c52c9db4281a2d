import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultSpecInput } from '../../shared/faults.ts';
import { partialPaths } from '../../electron/agent/golden-image-install.ts';
import { heldDownloadBytes } from '../../electron/agent/held-download.ts';
import { leftovers } from '../helpers/agent-fixture.ts';
import { demoImageSha256, valueOf } from '../app/app-fixture.ts';
import { useWebFixture } from './web-fixture.ts';

const { start, stop } = useWebFixture();

const HALF = 512 * 1024;
// The first image request stops after half the bytes and stays stopped until the client goes.
const STALL_FIRST_DOWNLOAD: FaultSpecInput[] = [
  { type: 'stall', atBytes: HALF, scope: { paths: ['/images/*'], attempts: { first: 1 } } },
];

describe('pausing, cancelling and restarting a download through the web host', () => {
  it('pauses and resumes the download, which finishes with the right SHA-256', async () => {
    const { client, pushes, home } = await start({
      embeddedPortal: { faults: STALL_FIRST_DOWNLOAD },
    });
    valueOf(await client.invoke('job:start-new-vm'));
    await pushes.phase('invited');
    valueOf(await client.invoke('job:answer-invitation', { answer: 'accept' }));
    await pushes.until('job:progress', (p) => p.transferred >= HALF);
    valueOf(await client.invoke('job:pause'));
    const paused = await pushes.phase('paused');
    expect(paused.job).toMatchObject({ image: { name: 'ACME Windows 11 for Developers' } });
    expect(paused.resumable).toMatchObject({
      bytes: HALF,
      image: { goldenImageId: 'acme-dev-win11' },
    });
    const sha256 = await demoImageSha256(home, 'ACME Dev Win11 ARM');
    // Held as the unpacked files and their journal: a plain tar is never copied to a partial.
    expect(await heldDownloadBytes(join(home, 'downloads'), sha256)).toBe(HALF);
    expect(existsSync(partialPaths(join(home, 'downloads'), sha256).partialPath)).toBe(false);

    const since = pushes.messages.length;
    valueOf(await client.invoke('job:resume'));
    const done = await pushes.phase('registered', since);
    // Resumed: the invitation was accepted before and is not shown again.
    const phases = pushes.messages
      .slice(since)
      .flatMap((m) => (m.channel === 'state:changed' ? [m.payload.job.phase] : []));
    expect(phases).toContain('downloading');
    expect(phases).not.toContain('invited');
    expect(done.job).toMatchObject({ vm: { source: { sha256 } } });
    const events = valueOf(await client.invoke('activity:list')).map((entry) => entry.event);
    expect(events.find((e) => e.type === 'download-resumed')).toMatchObject({ offset: HALF });
    expect(events.find((e) => e.type === 'verified')).toMatchObject({ sha256 });
    expect(done.resumable).toBeNull();
  });

  it('cancels a download and leaves no partial file or staging folder', async () => {
    const { client, pushes, home } = await start({
      embeddedPortal: { faults: STALL_FIRST_DOWNLOAD },
    });
    valueOf(await client.invoke('job:start-new-vm'));
    await pushes.phase('invited');
    valueOf(await client.invoke('job:answer-invitation', { answer: 'accept' }));
    await pushes.until('job:progress', (p) => p.transferred >= HALF);
    valueOf(await client.invoke('job:cancel'));
    const cancelled = await pushes.phase('cancelled');
    expect(cancelled.resumable).toBeNull();
    expect(cancelled.vms).toEqual([]);
    expect(await leftovers(home)).toEqual([]);
  });

  it('finds the download a stopped service interrupted and resumes it after a restart', async () => {
    const first = await start({ embeddedPortal: { faults: STALL_FIRST_DOWNLOAD } });
    valueOf(await first.client.invoke('job:start-new-vm'));
    await first.pushes.phase('invited');
    valueOf(await first.client.invoke('job:answer-invitation', { answer: 'accept' }));
    await first.pushes.until('job:progress', (p) => p.transferred >= HALF);
    await stop(first);

    const second = await start({ home: first.home });
    const found = valueOf(await second.client.invoke('state:get'));
    expect(found.job.phase).toBe('idle');
    expect(found.resumable).toMatchObject({
      bytes: HALF,
      image: { name: 'ACME Windows 11 for Developers' },
    });
    valueOf(await second.client.invoke('job:resume'));
    const done = await second.pushes.phase('registered');
    expect(done.vms).toHaveLength(1);
    const events = valueOf(await second.client.invoke('activity:list')).map((e) => e.event);
    expect(events.find((e) => e.type === 'download-resumed')).toMatchObject({ offset: HALF });
    expect(existsSync(join(first.home, 'downloads'))).toBe(true);
    expect(await leftovers(first.home)).toEqual([]);
  });
});
