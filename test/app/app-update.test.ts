import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicyRule } from '../../electron/portal/org-config-schema.ts';
import { makeFixtureImage } from '../helpers/portal-fixture.ts';
import { errorOf, invoke, useAppFixture, valueOf, type StartedApp } from './app-fixture.ts';

const { start } = useAppFixture();
const DEV_IMAGE = 'acme-dev-win11';

/** Registers the demo's engineering VM, then has the embedded portal offer a second version. */
async function withUpdate(rules: Partial<PolicyRule> = {}) {
  const app = await start();
  const first = await newVm(app);
  valueOf(await invoke(app.service, 'job:answer-invitation', { answer: 'accept' }));
  const registered = await app.pushes.phase('registered', first);
  const portal = app.service.embeddedPortal()!;
  const next = await makeFixtureImage(join(app.home, 'demo-portal'), {
    name: 'ACME Dev Win11 ARM v2',
    arch: 'arm64',
    seed: 'second version',
  });
  const { org } = portal;
  portal.setOrg({
    ...org,
    goldenImages: org.goldenImages.map((image) =>
      image.id === DEV_IMAGE
        ? {
            ...image,
            images: {
              ...image.images,
              arm64: { enabled: true, url: next.path, checksum: next.sha256 },
            },
          }
        : image,
    ),
    policies: [
      ...org.policies,
      {
        id: 'engineering-rules',
        appliesTo: ['engineering'],
        restrictToCorporateVms: false,
        oneCorporateVmPerUser: false,
        preventCorporateVmRemoval: false,
        ...rules,
      },
    ],
  });
  valueOf(await invoke(app.service, 'job:dismiss'));
  if (registered.job.phase !== 'registered') throw new Error('not registered');
  return { ...app, previous: registered.job.vm };
}

/** Starts New VM and waits for its invitation; returns where the pushes stood. */
async function newVm({ service, pushes }: StartedApp): Promise<number> {
  const since = pushes.messages.length;
  valueOf(await invoke(service, 'job:start-new-vm'));
  await pushes.phase('invited', since);
  return since;
}

describe('an update offered in the app', () => {
  it('shows the offer and passes Replace to the job, which removes the previous VM', async () => {
    const app = await withUpdate();
    const since = await newVm(app);
    const { job } = app.service.state();
    if (job.phase !== 'invited') throw new Error(job.phase);
    expect(job.invitation.update).toMatchObject({
      vm: { uuid: app.previous.uuid, name: app.previous.name },
      replaceRemovesPrevious: true,
      keepBothAllowed: true,
    });
    valueOf(await invoke(app.service, 'job:answer-invitation', { answer: 'replace' }));
    const updated = await app.pushes.phase('updated', since);
    expect(updated.job).toMatchObject({
      phase: 'updated',
      previous: { uuid: app.previous.uuid },
      previousRemoved: true,
    });
    expect(updated.vms.map((vm) => vm.uuid)).not.toContain(app.previous.uuid);
  });

  it('keeps both VMs on Keep both', async () => {
    const app = await withUpdate();
    const since = await newVm(app);
    valueOf(await invoke(app.service, 'job:answer-invitation', { answer: 'keep-both' }));
    const done = await app.pushes.phase('registered', since);
    expect(done.vms).toHaveLength(2);
    expect(done.vms.map((vm) => vm.uuid)).toContain(app.previous.uuid);
  });

  it('refuses Keep both where policy allows one corporate VM per user, and keeps asking', async () => {
    const app = await withUpdate({ oneCorporateVmPerUser: true, preventCorporateVmRemoval: true });
    const since = await newVm(app);
    const refused = errorOf(
      await invoke(app.service, 'job:answer-invitation', { answer: 'keep-both' }),
    );
    expect(refused.code).toBe('KEEP_BOTH_BLOCKED');
    expect(app.service.state().job).toMatchObject({
      phase: 'invited',
      invitation: { update: { keepBothAllowed: false, replaceRemovesPrevious: false } },
    });
    valueOf(await invoke(app.service, 'job:answer-invitation', { answer: 'replace' }));
    const updated = await app.pushes.phase('updated', since);
    // The organisation prevents removing corporate VMs: Replace keeps the previous one.
    expect(updated.job).toMatchObject({ phase: 'updated', previousRemoved: false });
    expect(updated.vms.map((vm) => vm.uuid)).toContain(app.previous.uuid);
  });

  it('keeps the previous VM as it is on Not now', async () => {
    const app = await withUpdate();
    const since = await newVm(app);
    valueOf(await invoke(app.service, 'job:answer-invitation', { answer: 'decline' }));
    const kept = await app.pushes.phase('registered', since);
    expect(kept.job).toMatchObject({ alreadyRegistered: true, vm: { uuid: app.previous.uuid } });
    expect(kept.vms).toHaveLength(1);
  });

  it('refuses Replace and Keep both for an invitation that is no update', async () => {
    const app = await start();
    await newVm(app);
    for (const answer of ['replace', 'keep-both'] as const) {
      const refused = errorOf(await invoke(app.service, 'job:answer-invitation', { answer }));
      expect(refused.code, answer).toBe('INVALID_PAYLOAD');
    }
    expect(app.service.state().job.phase).toBe('invited');
  });
});
