import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { DEFAULT_HEADROOM_BYTES } from '../../electron/agent/disk-space.ts';
import { partialPaths } from '../../electron/agent/golden-image-install.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { rawTar } from '../archive/helpers/raw-tar.ts';
import { leftovers, useAgentFixture } from '../helpers/agent-fixture.ts';

const { tempDir, portals, setup, run } = useAgentFixture();

describe('a New VM action against the real portal', () => {
  it('announces each phase where it starts: verifying lasts from the last byte to the checksum', async () => {
    const { home, portal, arm } = await setup();
    const timeline: string[] = [];
    const image = { goldenImageId: 'eng-image', name: 'Engineering VM' };
    const { result } = run(portal, home, {
      onEvent: (event) => {
        if (event.type !== 'download-progress') timeline.push(event.type);
      },
      onPhase: (phase) => {
        if ('image' in phase) expect(phase.image).toEqual({ ...image, sizeBytes: arm.sizeBytes });
        timeline.push(`phase:${phase.phase}`);
      },
    });
    expect((await result).outcome).toBe('registered');
    expect(timeline).toEqual([
      'phase:checking-policy',
      'checked-in',
      'invited',
      'accepted',
      'phase:downloading',
      'download-started',
      'download-finished',
      'phase:verifying',
      'verified',
      'phase:unpacking',
      'unpacked',
      'phase:registering',
      'registered',
    ]);
  });

  for (const [format, gzip] of [
    ['pvmp', false],
    ['pvmp', true],
    ['zip', false],
  ] as const) {
    for (const arch of ['arm64', 'x86_64'] as const) {
      it(`registers the ${arch} golden image packed as ${format}${gzip ? '+gzip' : ''}`, async () => {
        const { home, portal, arm, intel } = await setup({ format, gzip });
        const { result, events } = run(portal, home, { arch });
        const outcome = await result;
        expect(outcome.error).toBeUndefined();
        expect(outcome.outcome).toBe('registered');
        const image = arch === 'arm64' ? arm : intel;
        expect(outcome.vm).toMatchObject({
          name: arch === 'arm64' ? 'Eng ARM' : 'Eng Intel',
          arch,
          source: { kind: 'golden-image', goldenImageId: 'eng-image', sha256: image.sha256 },
        });
        expect(existsSync(join(outcome.vm!.path, 'config.pvs'))).toBe(true);
        const milestones = events.map((e) => e.type).filter((t) => t !== 'download-progress');
        expect(milestones).toEqual([
          'checked-in',
          'invited',
          'accepted',
          'download-started',
          'download-finished',
          'verified',
          'unpacked',
          'registered',
        ]);
        expect(await leftovers(home)).toEqual([]);
        const stored = openAgentStore(home).get('vms');
        expect(stored.map((vm) => vm.uuid)).toEqual([outcome.vm!.uuid]);
        // The portal got every event exactly once, in the order they happened.
        expect(portal.state.events().map((e) => e.id)).toEqual(events.map((e) => e.id));
        expect(portal.state.devices()[0]).toMatchObject({ arch, lastPhase: 'registered' });
      });
    }
  }

  it('accepts a pasted shasum line and upper-case hex as the checksum', async () => {
    const { home, portal, arm } = await setup({
      checksum: (sha) => `  ${sha.toUpperCase()}  /Users/admin/Parallels/Eng ARM.pvmp \n`,
    });
    const outcome = await run(portal, home).result;
    expect(outcome).toMatchObject({
      outcome: 'registered',
      vm: { source: { sha256: arm.sha256 } },
    });
  });

  it('reports already-registered without downloading, and downloads again with force', async () => {
    const { home, portal, arm } = await setup();
    const first = await run(portal, home).result;
    expect(first.outcome).toBe('registered');
    // A partial left by an interrupted forced download is dropped once the VM is known.
    const { partialPath } = partialPaths(join(home, 'downloads'), arm.sha256);
    await writeFile(partialPath, 'leftover');
    const second = run(portal, home);
    expect(await second.result).toMatchObject({
      outcome: 'already-registered',
      vm: { uuid: first.vm!.uuid },
    });
    expect(existsSync(partialPath)).toBe(false);
    expect(second.events.map((e) => e.type)).not.toContain('download-started');
    const forced = await run(portal, home, { force: true }).result;
    expect(forced.outcome).toBe('registered');
    expect(forced.vm!.name).toBe('Eng ARM (2)');
    expect(forced.vm!.uuid).not.toBe(first.vm!.uuid);
  });

  it('returns declined and asks nothing more when the user declines', async () => {
    const { home, portal } = await setup();
    const { result, events } = run(portal, home, { decide: async () => 'decline' });
    expect(await result).toEqual({ type: 'result', outcome: 'declined' });
    expect(events.map((e) => e.type)).toEqual(['checked-in', 'invited', 'declined']);
  });

  it('refuses a decline with CORPORATE_ONLY when policy allows corporate VMs only', async () => {
    const { home, portal } = await setup();
    const outcome = await run(portal, home, {
      licenseKey: KEYS.strict,
      decide: async () => 'decline',
    }).result;
    expect(outcome).toMatchObject({ outcome: 'failed', error: { code: 'CORPORATE_ONLY' } });
  });

  it('shows the invitation with name, description, size and disk space', async () => {
    const { home, portal, arm } = await setup();
    let seen: unknown;
    await run(portal, home, {
      decide: async (invitation) => {
        seen = invitation;
        return 'decline';
      },
    }).result;
    expect(seen).toMatchObject({
      name: 'Engineering VM',
      description: 'For the tests',
      arch: 'arm64',
      sizeBytes: arm.sizeBytes,
      requiredBytes: arm.sizeBytes * 2 + DEFAULT_HEADROOM_BYTES,
      resumeFromBytes: 0,
      corporateOnly: false,
    });
  });

  it('returns no-image when the golden image has nothing for this architecture', async () => {
    const dataDir = await tempDir();
    const home = await tempDir();
    const arm = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
    const portal = await startFixturePortal(
      dataDir,
      fixtureOrg({ arm64: { url: arm.path, checksum: arm.sha256 } }),
    );
    portals.push(portal);
    expect(await run(portal, home, { arch: 'x86_64' }).result).toEqual({
      type: 'result',
      outcome: 'no-image',
    });
  });

  for (const [key, code] of [
    ['NOPE-0000', 'LICENSE_UNKNOWN'],
    [KEYS.expired, 'LICENSE_EXPIRED'],
    [KEYS.revoked, 'LICENSE_REVOKED'],
  ] as const) {
    it(`fails with ${code} for that license key`, async () => {
      const { home, portal } = await setup();
      expect(await run(portal, home, { licenseKey: key }).result).toMatchObject({
        outcome: 'failed',
        error: { code },
      });
    });
  }

  it('fails with CHECKSUM_MISMATCH and leaves no partial, staging or VM behind', async () => {
    const { home, portal } = await setup({ checksum: () => 'ab'.repeat(32) });
    const { result, events } = run(portal, home);
    expect(await result).toMatchObject({ outcome: 'failed', error: { code: 'CHECKSUM_MISMATCH' } });
    expect(events.map((e) => e.type)).toContain('verify-failed');
    expect(await leftovers(home)).toEqual([]);
    expect(
      existsSync(join(home, 'Parallels')) ? await readdir(join(home, 'Parallels')) : [],
    ).toEqual([]);
    expect(openAgentStore(home).get('vms')).toEqual([]);
  });

  it('fails with NOT_A_DIRECT_LINK when the link serves an HTML page', async () => {
    const dataDir = await tempDir();
    const home = await tempDir();
    await makeFixtureImage(dataDir, { name: 'unused', arch: 'arm64' });
    await writeFile(
      join(dataDir, 'images', 'share.html'),
      '<!DOCTYPE html><html><body>Sign in</body></html>',
    );
    const portal = await startFixturePortal(
      dataDir,
      fixtureOrg({ arm64: { url: '/images/share.html', checksum: 'cd'.repeat(32) } }),
    );
    portals.push(portal);
    expect(await run(portal, home).result).toMatchObject({
      outcome: 'failed',
      error: { code: 'NOT_A_DIRECT_LINK' },
    });
    expect(await leftovers(home)).toEqual([]);
  });

  it('fails with POLICY_INVALID for a javascript: image URL', async () => {
    const { home, dataDir } = await setup();
    const portal = await startFixturePortal(
      dataDir,
      fixtureOrg({ arm64: { url: 'javascript:alert(1)', checksum: 'cd'.repeat(32) } }),
    );
    portals.push(portal);
    expect(await run(portal, home).result).toMatchObject({
      outcome: 'failed',
      error: { code: 'POLICY_INVALID' },
    });
  });

  it('fails with INSUFFICIENT_DISK_SPACE before downloading a byte', async () => {
    const { home, portal } = await setup();
    const { result, events } = run(portal, home, { freeBytes: async () => 1024 });
    expect(await result).toMatchObject({
      outcome: 'failed',
      error: { code: 'INSUFFICIENT_DISK_SPACE' },
    });
    expect(events.map((e) => e.type)).not.toContain('download-started');
    expect(portal.state.events().map((e) => e.type)).toContain('download-failed');
  });

  it('refuses a zip-slip archive whose checksum matches: verified, then install-failed, nothing kept', async () => {
    const dataDir = await tempDir();
    const home = await tempDir();
    const hostile = rawTar([
      { path: 'Evil.pvm/', type: 'Directory' },
      { path: 'Evil.pvm/../../escaped.txt', body: 'owned' },
    ]);
    await mkdir(join(dataDir, 'images'), { recursive: true });
    await writeFile(join(dataDir, 'images', 'evil.pvmp'), hostile);
    const sha = createHash('sha256').update(hostile).digest('hex');
    const portal = await startFixturePortal(
      dataDir,
      fixtureOrg({ arm64: { url: '/images/evil.pvmp', checksum: sha } }),
    );
    portals.push(portal);
    const { result, events } = run(portal, home);
    expect(await result).toMatchObject({ outcome: 'failed', error: { code: 'ARCHIVE_UNSAFE' } });
    const types = events.map((e) => e.type).filter((t) => t !== 'download-progress');
    expect(types.slice(-3)).toEqual(['download-finished', 'verified', 'install-failed']);
    expect(await leftovers(home)).toEqual([]);
    expect(existsSync(join(home, 'escaped.txt'))).toBe(false);
    expect(existsSync(join(home, 'Parallels', 'escaped.txt'))).toBe(false);
    expect(openAgentStore(home).get('vms')).toEqual([]);
  });

  it('refuses a VM built for the other architecture with VM_INVALID and keeps nothing', async () => {
    const dataDir = await tempDir();
    const home = await tempDir();
    const intel = await makeFixtureImage(dataDir, { name: 'Intel only', arch: 'x86_64' });
    const portal = await startFixturePortal(
      dataDir,
      fixtureOrg({ arm64: { url: intel.path, checksum: intel.sha256 } }),
    );
    portals.push(portal);
    expect(await run(portal, home).result).toMatchObject({
      outcome: 'failed',
      error: { code: 'VM_INVALID' },
    });
    expect(await leftovers(home)).toEqual([]);
    expect(openAgentStore(home).get('vms')).toEqual([]);
  });

  it('refuses a second agent on the same home with AGENT_BUSY', async () => {
    const { home, portal } = await setup();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let invited: () => void = () => {};
    const firstInvited = new Promise<void>((resolve) => (invited = resolve));
    const first = run(portal, home, {
      decide: async () => {
        invited();
        await held;
        return 'decline';
      },
    });
    await firstInvited;
    expect(await run(portal, home).result).toMatchObject({
      outcome: 'failed',
      error: { code: 'AGENT_BUSY' },
    });
    release();
    expect((await first.result).outcome).toBe('declined');
  });

  it('names a new version kept beside the previous one (Keep both) "<Name> (2)"', async () => {
    const { home, portal, dataDir } = await setup();
    expect((await run(portal, home).result).vm!.name).toBe('Eng ARM');
    const other = await makeFixtureImage(dataDir, {
      name: 'Eng ARM',
      arch: 'arm64',
      seed: 'other',
    });
    portal.setOrg(fixtureOrg({ arm64: { url: other.path, checksum: other.sha256 } }));
    const second = await run(portal, home, { decide: async () => 'keep-both' }).result;
    expect(second.vm!.name).toBe('Eng ARM (2)');
    expect(await readFile(join(second.vm!.path, 'config.pvs'), 'utf8')).toContain('Eng ARM');
  });
});
