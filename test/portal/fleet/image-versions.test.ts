import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AgentEvent, Arch } from '../../../shared/protocol.ts';
import type { RunningPortal } from '../../../electron/portal/server.ts';
import { KEYS, fixtureOrg } from '../../helpers/portal-fixture.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { checkInBody, post, postEvents } from '../client-fixtures.ts';
import { admin, useFleetPortals } from './fleet-fixtures.ts';

const tempDir = useTempDirs();
const start = useFleetPortals();

const V1 = '1'.repeat(64);
const V2 = '2'.repeat(64);
const INTEL = 'c'.repeat(64);
const IMAGE = 'eng-image';

// The engineering image: version 1 for Apple silicon, and an Intel image that never changes.
async function engPortal() {
  const org = fixtureOrg({
    arm64: { url: 'https://images.example/eng-v1.pvmp', checksum: V1 },
    x86_64: { url: 'https://images.example/eng-intel.pvmp', checksum: INTEL },
  });
  return start(await tempDir(), org);
}

// A Mac of the engineering group, checked in through the client API.
async function engMac(portal: RunningPortal, arch: Arch = 'arm64'): Promise<string> {
  const body = checkInBody({ licenseKey: KEYS.eng, arch, hostname: `mac-${arch}.acme.test` });
  expect((await post(`${portal.url}/api/v1/checkin`, body)).status).toBe(200);
  return body.deviceId;
}

type Fields = { type: AgentEvent['type'] } & Record<string, unknown>;
let second = 0;

// Posts events as the Mac's agent does: a new id each, one second apart, in order.
async function send(portal: RunningPortal, deviceId: string, ...events: Fields[]) {
  const batch = events.map((fields) => ({
    id: randomUUID(),
    at: new Date(Date.UTC(2025, 0, 1, 0, 0, (second += 1))).toISOString(),
    goldenImageId: IMAGE,
    ...fields,
  }));
  const res = await postEvents(portal.url, deviceId, KEYS.eng, batch);
  expect(res.status, await res.clone().text()).toBe(202);
}

const registered = (vmUuid: string, sha256?: string): Fields => ({
  type: 'registered',
  vmUuid,
  name: 'Engineering VM',
  ...(sha256 && { sha256 }),
});
const offered = (vmUuid: string, fromSha256: string, toSha256: string): Fields => ({
  type: 'update-offered',
  name: 'Engineering VM',
  vmUuid,
  fromSha256,
  toSha256,
});

async function deviceOf(portal: RunningPortal, deviceId: string) {
  const { body } = await admin(portal, 'GET', '/devices');
  return body.devices.find((d: { deviceId: string }) => d.deviceId === deviceId);
}

async function publishV2(portal: RunningPortal) {
  const image = { enabled: true, url: 'https://images.example/eng-v2.pvmp', checksum: V2 };
  const put = await admin(portal, 'PUT', `/golden-images/${IMAGE}/images/arm64`, image);
  expect(put.status).toBe(200);
}

describe('which golden image version each Mac runs', () => {
  it('says a Mac on the old version runs the previous one once the admin changes the image, and current after its update', async () => {
    const portal = await engPortal();
    const mac = await engMac(portal);
    const oldVm = randomUUID();
    await send(portal, mac, { type: 'invited', name: 'Engineering VM' }, registered(oldVm, V1));
    expect((await deviceOf(portal, mac)).versions).toEqual([
      { goldenImageId: IMAGE, sha256: V1, currentSha256: V1, state: 'current' },
    ]);

    await publishV2(portal);
    expect((await deviceOf(portal, mac)).versions).toEqual([
      { goldenImageId: IMAGE, sha256: V1, currentSha256: V2, state: 'previous' },
    ]);

    await send(portal, mac, offered(oldVm, V1, V2));
    expect(await deviceOf(portal, mac)).toMatchObject({
      phase: 'update-offered',
      versions: [{ state: 'update-offered', sha256: V1 }],
    });
    await send(portal, mac, { type: 'update-declined' });
    expect(await deviceOf(portal, mac)).toMatchObject({
      phase: 'declined',
      versions: [{ state: 'previous', sha256: V1 }],
    });

    const newVm = randomUUID();
    await send(
      portal,
      mac,
      offered(oldVm, V1, V2),
      { type: 'update-accepted', choice: 'replace' },
      { type: 'download-started', url: 'https://images.example/eng-v2.pvmp', offset: 0 },
      registered(newVm, V2),
      {
        type: 'updated',
        vmUuid: newVm,
        name: 'Engineering VM',
        sha256: V2,
        previousVmUuid: oldVm,
        previousRemoved: true,
      },
    );
    const updated = await deviceOf(portal, mac);
    expect(updated).toMatchObject({
      phase: 'registered',
      versions: [{ goldenImageId: IMAGE, sha256: V2, currentSha256: V2, state: 'current' }],
    });
    // The replaced VM is gone from the Mac: only the new version is listed.
    expect(updated.corporateVms).toEqual([expect.objectContaining({ goldenImageId: IMAGE })]);
    expect(updated.corporateVms).toHaveLength(1);

    // The rollout counts the Mac once, registered, through the offer, the answers and the update.
    const { body } = await admin(portal, 'GET', '/rollouts');
    expect(body.rollouts[0]).toMatchObject({ offered: 1, stages: { registered: 1, declined: 0 } });
  });

  it('counts a Mac offered an update as registered in the rollout, even when its registration is no longer kept', async () => {
    const portal = await engPortal();
    await publishV2(portal);
    const mac = await engMac(portal);
    const vm = randomUUID();
    // Its invitation is kept, its registration is not: the offer tells the VM is there.
    await send(portal, mac, { type: 'invited', name: 'Engineering VM' }, offered(vm, V1, V2), {
      type: 'update-declined',
    });

    const { body } = await admin(portal, 'GET', '/rollouts');
    expect(body.rollouts[0]).toMatchObject({
      offered: 1,
      accepted: 1,
      stages: { registered: 1, unanswered: 0, declined: 0 },
      // No time to VM: an offer tells that the VM is there, not when it was made.
      timeToVm: null,
    });
    // The offer told the version the Mac runs.
    expect((await deviceOf(portal, mac)).versions).toEqual([
      { goldenImageId: IMAGE, sha256: V1, currentSha256: V2, state: 'previous' },
    ]);
  });

  it('compares with the image of the Mac’s own architecture, and tells an agent that reports no version', async () => {
    const portal = await engPortal();
    const intel = await engMac(portal, 'x86_64');
    await send(portal, intel, registered(randomUUID(), INTEL));
    const oldAgent = await engMac(portal);
    await send(portal, oldAgent, registered(randomUUID()));
    await publishV2(portal);

    expect((await deviceOf(portal, intel)).versions).toEqual([
      { goldenImageId: IMAGE, sha256: INTEL, currentSha256: INTEL, state: 'current' },
    ]);
    expect((await deviceOf(portal, oldAgent)).versions).toEqual([
      { goldenImageId: IMAGE, sha256: null, currentSha256: V2, state: 'unknown' },
    ]);
  });

  it('counts per golden image the Macs on the current version and on older ones', async () => {
    const portal = await engPortal();
    const macs = await Promise.all([1, 2, 3, 4].map(() => engMac(portal)));
    const vms = macs.map(() => randomUUID());
    for (const [i, mac] of macs.entries()) await send(portal, mac, registered(vms[i]!, V1));
    const before = await admin(portal, 'GET', '/image-versions');
    expect(before.status).toBe(200);
    expect(before.body.images).toEqual([
      {
        goldenImageId: IMAGE,
        macs: { current: 4, previous: 0, 'update-offered': 0, unknown: 0 },
        older: [],
      },
    ]);

    await publishV2(portal);
    await send(portal, macs[1]!, offered(vms[1]!, V1, V2));
    await send(portal, macs[2]!, registered(randomUUID(), V2));
    const oldAgent = await engMac(portal);
    await send(portal, oldAgent, registered(randomUUID()));

    const after = await admin(portal, 'GET', '/image-versions');
    expect(after.body.images).toEqual([
      {
        goldenImageId: IMAGE,
        macs: { current: 1, previous: 2, 'update-offered': 1, unknown: 1 },
        older: [{ sha256: V1, macs: 3 }],
      },
    ]);
  });
});
