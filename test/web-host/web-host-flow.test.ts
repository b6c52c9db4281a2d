import { describe, expect, it } from 'vitest';
import { DEMO_LICENSE_KEYS } from '../../electron/portal/demo-org.ts';
import { demoImageSha256, errorOf, valueOf } from '../app/app-fixture.ts';
import { useWebFixture } from './web-fixture.ts';

const { start } = useWebFixture();

describe('the New VM flow through the web host', () => {
  it('accepts the invitation and ends registered, with the VM in the list', async () => {
    const { client, pushes, home } = await start();
    valueOf(await client.invoke('job:start-new-vm'));
    const invited = await pushes.phase('invited');
    expect(invited.job).toMatchObject({
      invitation: {
        name: 'ACME Windows 11 for Developers',
        description: 'Visual Studio, Git and the VPN client are installed.',
        sizeBytes: expect.any(Number),
        freeBytes: expect.any(Number),
        corporateOnly: false,
      },
    });
    valueOf(await client.invoke('job:answer-invitation', { answer: 'accept' }));
    const done = await pushes.phase('registered');
    // Each phase as the job announced it, once, in order, naming the image it works on.
    const jobs = pushes.all('state:changed').map((state) => state.job);
    const steps = jobs.filter((job, i) => i === 0 || job.phase !== jobs[i - 1]!.phase);
    expect(steps.map((job) => job.phase)).toEqual([
      'idle',
      'checking-policy',
      'invited',
      'downloading',
      'verifying',
      'unpacking',
      'registering',
      'registered',
    ]);
    if (invited.job.phase !== 'invited') throw new Error('not invited');
    const { sizeBytes } = invited.job.invitation;
    const image = {
      goldenImageId: 'acme-dev-win11',
      name: 'ACME Windows 11 for Developers',
      sizeBytes,
    };
    expect(steps[3]).toEqual({ phase: 'downloading', image, heldBytes: 0 });
    expect(steps[4]).toEqual({ phase: 'verifying', image });
    // From unpacking on, the job names the checksum the image was verified against.
    const registered = steps[7]!;
    if (registered.phase !== 'registered' || registered.vm.source.kind !== 'golden-image') {
      throw new Error('not registered from the golden image');
    }
    const verifiedSha256 = registered.vm.source.sha256;
    for (const job of steps.slice(5, 7)) {
      expect(job).toEqual({ phase: job.phase, image, verifiedSha256 });
    }
    if (done.job.phase !== 'registered') throw new Error('not registered');
    expect(done.vms.map((vm) => vm.uuid)).toEqual([done.job.vm.uuid]);
    expect(done.vms[0]).toMatchObject({ name: 'ACME Dev Win11 ARM', corporate: true });
    expect(done.job.vm.source).toMatchObject({
      sha256: await demoImageSha256(home, 'ACME Dev Win11 ARM'),
    });
    const last = pushes.all('job:progress').at(-1)!;
    expect(last).toMatchObject({ fraction: 1, etaSeconds: 0 });
    expect(last.transferred).toBe(last.total);
    const activity = valueOf(await client.invoke('activity:list'));
    expect(activity.map((entry) => entry.event.type)).toContain('registered');
    expect(activity.every((entry) => entry.delivery === 'delivered')).toBe(true);
  });

  it('opens the Installation Assistant on decline and creates the VM', async () => {
    const { client, pushes } = await start();
    valueOf(await client.invoke('job:start-new-vm'));
    await pushes.phase('invited');
    valueOf(await client.invoke('job:answer-invitation', { answer: 'decline' }));
    const declined = await pushes.phase('assistant');
    expect(declined.job).toEqual({ phase: 'assistant', reason: 'declined' });
    const options = valueOf(await client.invoke('assistant:get-options'));
    expect(options).toMatchObject({ corporateOnly: false, blockedReason: null });
    expect(options.oses.map((os) => os.id)).toContain('ubuntu-24.04');
    const vm = valueOf(
      await client.invoke('assistant:create-vm', {
        os: 'ubuntu-24.04',
        name: 'Dev box',
        cpus: 2,
        memoryMb: 2048,
        diskSizeBytes: 8 * 1024 * 1024,
      }),
    );
    expect(vm).toMatchObject({
      name: 'Dev box',
      source: { kind: 'assistant', os: 'ubuntu-24.04' },
    });
    const created = await pushes.phase('registered');
    expect(created.vms).toEqual([expect.objectContaining({ uuid: vm.uuid, corporate: false })]);
  });

  it('blocks the assistant when the policy allows corporate VMs only', async () => {
    const { client, pushes } = await start();
    const settings = valueOf(await client.invoke('settings:get'));
    const saved = await client.invoke('settings:save', {
      ...settings,
      licenseKey: DEMO_LICENSE_KEYS.finance,
    });
    expect(valueOf(saved).licenseKey).toBe(DEMO_LICENSE_KEYS.finance);
    valueOf(await client.invoke('job:start-new-vm'));
    const invited = await pushes.phase('invited');
    expect(invited.job).toMatchObject({ invitation: { corporateOnly: true } });
    valueOf(await client.invoke('job:answer-invitation', { answer: 'decline' }));
    const blocked = await pushes.until('state:changed', (s) => s.job.phase === 'failed');
    expect(blocked.job).toMatchObject({ phase: 'failed', error: { code: 'CORPORATE_ONLY' } });
    const options = valueOf(await client.invoke('assistant:get-options'));
    expect(options).toMatchObject({ corporateOnly: true, blockedReason: expect.any(String) });
    const create = await client.invoke('assistant:create-vm', {
      os: 'windows-11',
      name: 'Mine',
      cpus: 2,
      memoryMb: 4096,
      diskSizeBytes: 8 * 1024 * 1024,
    });
    expect(errorOf(create).code).toBe('CORPORATE_ONLY');
    expect(
      (await pushes.until('state:changed', () => true, pushes.messages.length - 1)).vms,
    ).toEqual([]);
  });
});
