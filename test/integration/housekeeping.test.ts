import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { STAGING_PREFIX, stagingPrefixOf } from '../../electron/agent/leftovers.ts';
import { useAgentFixture } from '../helpers/agent-fixture.ts';
import { KEYS, fixtureOrg } from '../helpers/portal-fixture.ts';

const { tempDir, setup, run } = useAgentFixture();

describe('what a New VM action tidies and what it leaves alone', () => {
  it("removes its own stale staging but never another agent's in a shared VM folder", async () => {
    const { home, portal } = await setup();
    const vmDir = await tempDir();
    expect((await run(portal, home, { vmDir, decide: async () => 'decline' }).result).outcome).toBe(
      'declined',
    );
    const deviceId = openAgentStore(home).get('deviceId')!;
    const mine = join(vmDir, `${stagingPrefixOf(deviceId)}killed-run`);
    const theirs = join(vmDir, `${STAGING_PREFIX}00000000-0000-4000-8000-000000000000-live`);
    await mkdir(mine);
    await mkdir(theirs);
    expect((await run(portal, home, { vmDir }).result).outcome).toBe('registered');
    expect(existsSync(mine)).toBe(false);
    expect(existsSync(theirs)).toBe(true);
  });

  it('removes partials of images the policy no longer offers', async () => {
    const { home, portal } = await setup();
    const downloads = join(home, 'downloads');
    await mkdir(downloads, { recursive: true });
    const stale = join(downloads, `${'e'.repeat(64)}.part`);
    await writeFile(stale, 'old image bytes');
    expect((await run(portal, home).result).outcome).toBe('registered');
    expect(existsSync(stale)).toBe(false);
  });

  it('downloads again when the user deleted the registered VM folder', async () => {
    const { home, portal } = await setup();
    const first = await run(portal, home).result;
    await rm(first.vm!.path, { recursive: true });
    const second = await run(portal, home).result;
    expect(second).toMatchObject({ outcome: 'registered', vm: { name: 'Eng ARM' } });
    expect(
      openAgentStore(home)
        .get('vms')
        .map((vm) => vm.uuid),
    ).toEqual([second.vm!.uuid]);
  });

  it('keeps one corporate VM per user even with --force', async () => {
    const { home, portal } = await setup({
      org: (images) =>
        fixtureOrg(images, {
          policies: [{ id: 'one-each', appliesTo: ['eng'], oneCorporateVmPerUser: true }],
        }),
    });
    const first = await run(portal, home).result;
    expect(first.outcome).toBe('registered');
    const forced = await run(portal, home, { force: true, licenseKey: KEYS.eng }).result;
    expect(forced).toMatchObject({ outcome: 'already-registered', vm: { uuid: first.vm!.uuid } });
  });
});
