import { describe, expect, it } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { DEMO_LICENSE_KEYS } from '../../electron/portal/demo-org.ts';
import { leftovers } from '../helpers/agent-fixture.ts';
import { errorOf, invoke, useAppFixture, valueOf, type StartedApp } from './app-fixture.ts';

const { start, tempDir } = useAppFixture();

async function acceptOnce({ service, pushes }: StartedApp, payload?: { force?: boolean }) {
  const since = pushes.messages.length;
  valueOf(await invoke(service, 'job:start-new-vm', payload));
  const next = await pushes.until(
    'state:changed',
    (s) => ['invited', 'registered', 'failed'].includes(s.job.phase),
    since,
  );
  if (next.job.phase === 'invited') {
    valueOf(await invoke(service, 'job:answer-invitation', { answer: 'accept' }));
  }
  return pushes.until(
    'state:changed',
    (s) => s.job.phase === 'registered' || s.job.phase === 'failed',
    since,
  );
}

describe('how a job ends', () => {
  it('fails with the checksum sentence when the image is corrupt, keeping nothing', async () => {
    const app = await start({
      embeddedPortal: {
        faults: [{ type: 'corrupt', offset: 600_000, scope: { paths: ['/images/*'] } }],
      },
    });
    const failed = await acceptOnce(app);
    expect(failed.job).toEqual({
      phase: 'failed',
      error: {
        code: 'CHECKSUM_MISMATCH',
        message: ERROR_SENTENCES.CHECKSUM_MISMATCH,
        retryable: false,
      },
    });
    expect(failed.resumable).toBeNull();
    expect(failed.vms).toEqual([]);
    expect(await leftovers(app.home)).toEqual([]);
  });

  it('reports a VM already made from the image, and downloads it again when forced', async () => {
    const app = await start();
    const first = await acceptOnce(app);
    expect(first.job).toMatchObject({ phase: 'registered', alreadyRegistered: false });
    const again = await acceptOnce(app);
    expect(again.job).toMatchObject({ phase: 'registered', alreadyRegistered: true });
    const forced = await acceptOnce(app, { force: true });
    expect(forced.job).toMatchObject({ phase: 'registered', alreadyRegistered: false });
    expect(forced.vms).toHaveLength(2);
  });

  it('opens the assistant when the policy offers no image', async () => {
    const { service, pushes } = await start();
    const settings = service.state().settings;
    valueOf(
      await invoke(service, 'settings:save', {
        ...settings,
        licenseKey: DEMO_LICENSE_KEYS.primary,
      }),
    );
    valueOf(await invoke(service, 'job:start-new-vm'));
    const state = await pushes.phase('assistant');
    expect(state.job).toEqual({ phase: 'assistant', reason: 'no-image' });
  });

  it('says NOT_CONFIGURED when a portal is set but no license key', async () => {
    const home = await tempDir();
    openAgentStore(home).set('portalUrl', 'http://127.0.0.1:9');
    const { service, pushes } = await start({ home });
    expect(errorOf(await invoke(service, 'job:start-new-vm')).code).toBe('NOT_CONFIGURED');
    const state = await pushes.until('state:changed', (s) => s.agent.lastCheckInError !== null);
    expect(state.agent).toMatchObject({
      embeddedPortal: false,
      lastCheckInError: { code: 'NOT_CONFIGURED' },
    });
    expect(errorOf(await invoke(service, 'agent:connect')).code).toBe('NOT_CONFIGURED');
  });
});

describe('checking for policy now', () => {
  it('checks in, tells whether a new policy arrived, and shows a failure in the properties', async () => {
    const { service } = await start();
    const portal = service.embeddedPortal()!;
    const connected = valueOf(await invoke(service, 'agent:connect'));
    // The embedded demo portal's engineering key: its group and image name what applies.
    expect(connected.agent).toMatchObject({
      policyRevision: 1,
      groupName: 'Engineering',
      goldenImageName: 'ACME Windows 11 for Developers',
      corporateOnly: false,
      lastCheckInError: null,
    });
    expect(connected.agent.lastConnectedAt).not.toBeNull();
    portal.setOrg(portal.org);
    const changed = valueOf(await invoke(service, 'agent:connect'));
    expect(changed).toMatchObject({ policyChanged: true, agent: { policyRevision: 2 } });
    expect(valueOf(await invoke(service, 'agent:connect')).policyChanged).toBe(false);

    const down = portal.faults.add({ type: 'down' });
    const failed = errorOf(await invoke(service, 'agent:connect'));
    expect(failed).toMatchObject({ code: 'PORTAL_UNREACHABLE', retryable: true });
    expect(service.state().agent.lastCheckInError).toMatchObject({ code: 'PORTAL_UNREACHABLE' });
    portal.faults.remove(down);
    valueOf(await invoke(service, 'agent:connect'));
    expect(service.state().agent.lastCheckInError).toBeNull();
  });

  it('keeps events pending while the portal is down and marks them delivered after', async () => {
    const { service, pushes } = await start();
    const portal = service.embeddedPortal()!;
    valueOf(await invoke(service, 'agent:connect'));
    const down = portal.faults.add({ type: 'down' });
    const vm = valueOf(
      await invoke(service, 'assistant:create-vm', {
        os: 'macos',
        name: 'Offline',
        cpus: 2,
        memoryMb: 4096,
        diskSizeBytes: 2 ** 20,
      }),
    );
    const activity = valueOf(await invoke(service, 'activity:list'));
    const created = activity.find((entry) => entry.event.type === 'vm-created');
    expect(created).toMatchObject({ delivery: 'pending', event: { vmUuid: vm.uuid } });
    portal.faults.remove(down);
    valueOf(await invoke(service, 'agent:connect'));
    const delivered = await pushes.until('activity:changed', (change) =>
      change.entries.some((e) => e.event.id === created!.event.id && e.delivery === 'delivered'),
    );
    expect(delivered.entries.length).toBeGreaterThan(0);
  });
});
