import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Invitation, InvitationAnswer } from '../../shared/invitation.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { startPortal, type RunningPortal } from '../../electron/portal/server.ts';
import { leftovers, useAgentFixture } from '../helpers/agent-fixture.ts';
import { fixtureOrg, makeFixtureImage } from '../helpers/portal-fixture.ts';
import { adminApi } from '../portal/admin/admin-fixtures.ts';

const { tempDir, portals, run } = useAgentFixture();

/** A portal whose admin API may change the organisation, with the first version of the image. */
async function writablePortal() {
  const dataDir = await tempDir();
  const arm = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
  const org = fixtureOrg({ arm64: { url: arm.path, checksum: arm.sha256 } });
  const portal = await startPortal({ dataDir, org, logger: false, persist: true });
  portals.push(portal);
  return { dataDir, portal, home: await tempDir() };
}

/** A Mac with the first version registered, and the admin's second version put in its place. */
async function updatedImage(policy?: Record<string, unknown>) {
  const fixture = await writablePortal();
  const first = await run(fixture.portal, fixture.home).result;
  expect(first).toMatchObject({ outcome: 'registered' });
  const next = await makeFixtureImage(fixture.dataDir, {
    name: 'Eng ARM v2',
    arch: 'arm64',
    seed: 'second version',
    sizeBytes: 320 * 1024,
  });
  const api = adminApi(fixture.portal);
  const put = await api.put('/golden-images/eng-image/images/arm64', {
    enabled: true,
    url: next.path,
    checksum: next.sha256,
  });
  expect(put.status).toBe(200);
  if (policy) {
    const made = await api.post('/policies', { id: 'eng-rules', appliesTo: ['eng'], ...policy });
    expect(made.status).toBe(201);
  }
  return { ...fixture, previous: first.vm!, next };
}

/** Runs again, answering the invitation with `answer` and keeping what it was shown. */
async function answer(portal: RunningPortal, home: string, reply: InvitationAnswer) {
  const shown: Invitation[] = [];
  const decide = async (invitation: Invitation) => {
    shown.push(invitation);
    return reply;
  };
  const job = run(portal, home, { decide });
  return { result: await job.result, events: job.events, shown };
}

function vmsIn(home: string) {
  return openAgentStore(home).get('vms') ?? [];
}

describe('a new version of a golden image the Mac runs', () => {
  it('is offered as an update that says what changes, and Replace removes the previous VM after', async () => {
    const { portal, home, previous, next } = await updatedImage();
    const { result, events, shown } = await answer(portal, home, 'replace');

    expect(shown[0]?.update).toEqual({
      vm: { uuid: previous.uuid, name: previous.name },
      fromSha256: previous.source.kind === 'golden-image' ? previous.source.sha256 : '',
      fromSizeBytes: expect.any(Number),
      replaceRemovesPrevious: true,
      keepBothAllowed: true,
    });
    expect(shown[0]?.sizeBytes).toBe(next.sizeBytes);
    expect(result).toMatchObject({
      outcome: 'updated',
      previousRemoved: true,
      previous: { uuid: previous.uuid },
      vm: { source: { sha256: next.sha256 } },
    });
    const types = events.map((event) => event.type);
    expect(types).toContain('update-offered');
    expect(types).not.toContain('invited');
    // The previous VM goes only once the new one is registered.
    expect(types.indexOf('registered')).toBeLessThan(types.indexOf('updated'));
    expect(events.find((event) => event.type === 'update-accepted')).toMatchObject({
      choice: 'replace',
    });
    expect(events.find((event) => event.type === 'updated')).toMatchObject({
      vmUuid: result.vm!.uuid,
      previousVmUuid: previous.uuid,
      previousRemoved: true,
      sha256: next.sha256,
    });
    expect(vmsIn(home).map((vm) => vm.uuid)).toEqual([result.vm!.uuid]);
    expect(existsSync(previous.path)).toBe(false);
    expect(await readdir(join(home, 'Parallels'))).toEqual([`${result.vm!.name}.pvm`]);
    expect(await leftovers(home)).toEqual([]);
  });

  it('keeps both VMs when the user chooses Keep both', async () => {
    const { portal, home, previous, next } = await updatedImage();
    const { result, events } = await answer(portal, home, 'keep-both');

    expect(result).toMatchObject({
      outcome: 'registered',
      vm: { source: { sha256: next.sha256 } },
    });
    expect(events.find((event) => event.type === 'update-accepted')).toMatchObject({
      choice: 'keep-both',
    });
    expect(events.map((event) => event.type)).not.toContain('updated');
    expect(vmsIn(home).map((vm) => vm.uuid)).toEqual([previous.uuid, result.vm!.uuid]);
    expect(existsSync(previous.path)).toBe(true);
  });

  it('downloads nothing on Not now, and offers the update again at the next run', async () => {
    const { portal, home, previous } = await updatedImage();
    const skipped = await answer(portal, home, 'decline');

    expect(skipped.result).toMatchObject({
      outcome: 'already-registered',
      vm: { uuid: previous.uuid },
    });
    const types = skipped.events.map((event) => event.type);
    expect(types).toContain('update-declined');
    expect(types).not.toContain('download-started');
    expect(vmsIn(home).map((vm) => vm.uuid)).toEqual([previous.uuid]);

    const again = await answer(portal, home, 'decline');
    expect(again.shown[0]?.update?.vm.uuid).toBe(previous.uuid);
  });

  it('keeps the previous VM on Replace when policy prevents removing corporate VMs, and says so', async () => {
    const { portal, home, previous } = await updatedImage({ preventCorporateVmRemoval: true });
    const { result, events, shown } = await answer(portal, home, 'replace');

    expect(shown[0]?.update?.replaceRemovesPrevious).toBe(false);
    expect(result).toMatchObject({ outcome: 'updated', previousRemoved: false });
    expect(events.find((event) => event.type === 'updated')).toMatchObject({
      previousRemoved: false,
    });
    expect(vmsIn(home)).toHaveLength(2);
    expect(existsSync(previous.path)).toBe(true);
  });

  it('refuses Keep both where policy allows one corporate VM per user, before any download', async () => {
    const { portal, home, previous } = await updatedImage({ oneCorporateVmPerUser: true });
    const { result, events, shown } = await answer(portal, home, 'keep-both');

    expect(shown[0]?.update?.keepBothAllowed).toBe(false);
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'KEEP_BOTH_BLOCKED' } });
    expect(events.map((event) => event.type)).not.toContain('download-started');
    expect(vmsIn(home).map((vm) => vm.uuid)).toEqual([previous.uuid]);
  });

  it('replaces the one VM a user may have when policy allows one corporate VM per user', async () => {
    const { portal, home, previous } = await updatedImage({ oneCorporateVmPerUser: true });
    const { result } = await answer(portal, home, 'accept');

    expect(result).toMatchObject({ outcome: 'updated', previousRemoved: true });
    expect(vmsIn(home).map((vm) => vm.uuid)).toEqual([result.vm!.uuid]);
    expect(result.vm!.uuid).not.toBe(previous.uuid);
  });

  it('is not offered again once the new version is registered', async () => {
    const { portal, home } = await updatedImage();
    const replaced = await answer(portal, home, 'replace');
    const after = await answer(portal, home, 'replace');

    expect(after.shown).toEqual([]);
    expect(after.result).toMatchObject({
      outcome: 'already-registered',
      vm: { uuid: replaced.result.vm!.uuid },
    });
  });

  it('keeps a previous VM that is running, and says why', async () => {
    const { portal, home, previous } = await updatedImage();
    const store = openAgentStore(home);
    store.set(
      'vms',
      vmsIn(home).map((vm) => ({ ...vm, state: 'running' as const })),
    );
    const { result, events } = await answer(portal, home, 'replace');

    expect(result).toMatchObject({
      outcome: 'updated',
      previousRemoved: false,
      keptReason: `"${previous.name}" is running; shut it down, then remove it from the VM list`,
    });
    expect(events.find((event) => event.type === 'updated')).toMatchObject({
      previousRemoved: false,
      keptReason: expect.stringContaining('is running'),
    });
    expect(existsSync(previous.path)).toBe(true);
    expect(vmsIn(home)).toHaveLength(2);
    expect(existsSync(join(home, 'replacing.json'))).toBe(false);
  });

  it('keeps a previous VM the app is preparing for transfer', async () => {
    const { portal, home, previous } = await updatedImage();
    const shown: Invitation[] = [];
    const job = run(portal, home, {
      decide: async (invitation) => (shown.push(invitation), 'replace'),
      isVmBusy: (uuid) => uuid === previous.uuid,
    });
    expect(await job.result).toMatchObject({
      previousRemoved: false,
      keptReason: expect.stringContaining('is being prepared for transfer'),
    });
    expect(existsSync(previous.path)).toBe(true);
  });
});
