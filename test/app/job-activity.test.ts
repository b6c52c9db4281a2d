import { describe, expect, it } from 'vitest';
import type { FaultSpecInput } from '../../shared/faults.ts';
import type { AgentEvent } from '../../shared/protocol.ts';
import { PAUSED_ACTIVITY_CODE } from '../../shared/ipc-contract.ts';
import { errorOf, invoke, useAppFixture, valueOf, type StartedApp } from './app-fixture.ts';

const { start } = useAppFixture();

const HALF = 512 * 1024;
// The first image request stops after half the bytes and stays stopped until the client goes.
const STALL_FIRST_DOWNLOAD: FaultSpecInput[] = [
  { type: 'stall', atBytes: HALF, scope: { paths: ['/images/*'], attempts: { first: 1 } } },
];

async function downloadHalf({ service, pushes }: StartedApp): Promise<void> {
  valueOf(await invoke(service, 'job:start-new-vm'));
  await pushes.phase('invited');
  valueOf(await invoke(service, 'job:answer-invitation', { answer: 'accept' }));
  await pushes.until('job:progress', (p) => p.transferred >= HALF);
}

async function stoppedDownloads(service: StartedApp['service']): Promise<AgentEvent[]> {
  const entries = valueOf(await invoke(service, 'activity:list'));
  return entries.map((entry) => entry.event).filter((e) => e.type === 'download-failed');
}

describe('how the Activity view records a stopped download', () => {
  it('records a pause as paused, not as a failed download', async () => {
    const app = await start({ embeddedPortal: { faults: STALL_FIRST_DOWNLOAD } });
    await downloadHalf(app);
    valueOf(await invoke(app.service, 'job:pause'));
    await app.pushes.phase('paused');
    const [stopped] = await stoppedDownloads(app.service);
    expect(stopped).toMatchObject({ error: { code: PAUSED_ACTIVITY_CODE } });
  });

  it('records a cancel as the CANCELLED it is', async () => {
    const app = await start({ embeddedPortal: { faults: STALL_FIRST_DOWNLOAD } });
    await downloadHalf(app);
    valueOf(await invoke(app.service, 'job:cancel'));
    await app.pushes.phase('cancelled');
    const [stopped] = await stoppedDownloads(app.service);
    expect(stopped).toMatchObject({ error: { code: 'CANCELLED' } });
  });
});

describe('New Virtual Machine once the corporate VM is on this Mac', () => {
  it('opens the Installation Assistant when the user declines the VM already there', async () => {
    const { service, pushes } = await start();
    valueOf(await invoke(service, 'job:start-new-vm'));
    await pushes.phase('invited');
    valueOf(await invoke(service, 'job:answer-invitation', { answer: 'accept' }));
    await pushes.phase('registered');
    const since = pushes.messages.length;
    valueOf(await invoke(service, 'job:start-new-vm'));
    const again = await pushes.phase('registered', since);
    expect(again.job).toMatchObject({ alreadyRegistered: true });

    expect(errorOf(await invoke(service, 'job:answer-invitation', { answer: 'accept' })).code).toBe(
      'JOB_STATE_CONFLICT',
    );
    valueOf(await invoke(service, 'job:answer-invitation', { answer: 'decline' }));
    expect(service.state().job).toEqual({ phase: 'assistant', reason: 'declined' });
  });
});
