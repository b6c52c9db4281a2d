import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicyRule } from '../../electron/portal/org-config-schema.ts';
import type { FaultSpecInput } from '../../shared/faults.ts';
import { makeFixtureImage } from '../helpers/portal-fixture.ts';
import { errorOf, invoke, useAppFixture, valueOf, type StartedApp } from './app-fixture.ts';

const { start, stop } = useAppFixture();
const DEV_IMAGE = 'acme-dev-win11';

/** Registers the demo's engineering VM, then has the embedded portal offer a second version. */
async function withUpdate(rules: Partial<PolicyRule> = {}, faults: FaultSpecInput[] = []) {
  const app = await start({ embeddedPortal: { faults } });
  const first = await newVm(app);
  valueOf(await invoke(app.service, 'job:answer-invitation', { answer: 'accept' }));
  const registered = await app.pushes.phase('registered', first);
  await offerSecondVersion(app, rules);
  valueOf(await invoke(app.service, 'job:dismiss'));
  if (registered.job.phase !== 'registered') throw new Error('not registered');
  return { ...app, previous: registered.job.vm };
}

/** Has the app's embedded portal offer a second version of the engineering VM (the same bytes every time). */
async function offerSecondVersion(app: StartedApp, rules: Partial<PolicyRule> = {}) {
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
}

/** Starts New VM and waits for its invitation; returns where the pushes stood. */
async function newVm({ service, pushes }: StartedApp): Promise<number> {
  const since = pushes.messages.length;
  valueOf(await invoke(service, 'job:start-new-vm'));
  await pushes.phase('invited', since);
  return since;
}

const HELD_BYTES = 64 * 1024;
// The second image request (the new version's) stops partway until the client goes.
const STALL_SECOND_DOWNLOAD: FaultSpecInput = {
  type: 'stall',
  atBytes: HELD_BYTES,
  scope: { paths: ['/images/*'], attempts: { nth: 2 } },
};

/** An update answered `answer`, then paused partway through the new version's download. */
async function pausedUpdate(answer: 'replace' | 'keep-both') {
  const app = await withUpdate({}, [STALL_SECOND_DOWNLOAD]);
  const since = await newVm(app);
  valueOf(await invoke(app.service, 'job:answer-invitation', { answer }));
  await app.pushes.until('job:progress', (p) => p.transferred >= HELD_BYTES, since);
  valueOf(await invoke(app.service, 'job:pause'));
  await app.pushes.phase('paused', since);
  return app;
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

  it('resumes a paused Keep both as Keep both, without asking again in the same session', async () => {
    // Only this session remembers Keep both (a Replace is noted for crashes too, see below).
    const app = await pausedUpdate('keep-both');

    const resumedAt = app.pushes.messages.length;
    valueOf(await invoke(app.service, 'job:resume'));
    const next = await app.pushes.until(
      'state:changed',
      (state) => ['invited', 'registered', 'updated', 'failed'].includes(state.job.phase),
      resumedAt,
    );
    expect(next.job.phase).toBe('registered');
    expect(next.vms).toHaveLength(2);
    expect(next.vms.map((vm) => vm.uuid)).toContain(app.previous.uuid);
  });

  it('resumes a paused Replace as Replace after a restart too', async () => {
    const app = await pausedUpdate('replace');
    await stop(app.service);

    // The restarted app's embedded portal starts from the demo again: it offers the update anew.
    const again = await start({ home: app.home });
    await offerSecondVersion(again);
    valueOf(await invoke(again.service, 'job:resume'));
    const next = await again.pushes.until('state:changed', (state) =>
      ['invited', 'updated', 'failed'].includes(state.job.phase),
    );
    expect(next.job).toMatchObject({ phase: 'updated', previousRemoved: true });
    expect(next.vms.map((vm) => vm.uuid)).not.toContain(app.previous.uuid);
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
