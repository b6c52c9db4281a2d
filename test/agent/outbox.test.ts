import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../electron/agent/outbox.ts';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import { FakePortal } from '../helpers/fake-portal.ts';
import { eventFields, sampleEvent } from '../helpers/sample-events.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const DEVICE = '7d444840-9dc0-41d1-a9a6-ad2c4e0ec3a7';
const KEY = 'LIC-0001-ABCD';

let portal: FakePortal;
let client: PortalClient;

beforeEach(async () => {
  portal = await FakePortal.start();
  client = new PortalClient({ portalUrl: portal.url, retries: 0 });
});
afterEach(async () => {
  await portal.down();
});

const progress = (transferred: number) => eventFields('download-progress', { transferred });

describe('Outbox', () => {
  it('persists an event before returning it', async () => {
    const home = await tempDir();
    const outbox = new Outbox({ home, deviceId: DEVICE, licenseKey: KEY, client });
    const event = outbox.record(
      'download-started',
      eventFields('download-started', { offset: 10, total: undefined }),
    );
    expect(event).toMatchObject({ type: 'download-started', goldenImageId: 'img-1', offset: 10 });
    expect(event).not.toHaveProperty('total');
    expect(Date.parse(event.at)).not.toBeNaN();
    const onDisk = JSON.parse(await readFile(join(home, 'outbox.json'), 'utf8'));
    expect(onDisk.events).toEqual([event]);
  });

  it('writes the same file without waiting for the disk (a fleet Mac), leaving no temporary file', async () => {
    const home = await tempDir();
    const outbox = new Outbox({ home, deviceId: DEVICE, licenseKey: KEY, client, fsync: false });
    const event = outbox.record('checked-in', eventFields('checked-in'));
    expect(await readdir(home)).toEqual(['outbox.json']);
    expect((await stat(join(home, 'outbox.json'))).mode & 0o777).toBe(0o600);
    expect(new Outbox({ home, deviceId: DEVICE, licenseKey: KEY, client }).pending()).toEqual([
      event,
    ]);
  });

  it('keeps pending events across instances and delivers them once the portal is back', async () => {
    const home = await tempDir();
    await portal.down();
    const first = new Outbox({ home, deviceId: DEVICE, licenseKey: KEY, client });
    const a = first.record('checked-in', eventFields('checked-in'));
    const b = first.record('invited', eventFields('invited'));
    expect(await first.flush()).toEqual({ delivered: 0, pending: 2 });

    const second = new Outbox({ home, deviceId: DEVICE, licenseKey: KEY, client });
    expect(second.pending().map((e) => e.id)).toEqual([a.id, b.id]);
    await portal.up();
    expect(await second.flush()).toEqual({ delivered: 2, pending: 0 });
    expect(portal.events.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(new Outbox({ home, deviceId: DEVICE, licenseKey: KEY, client }).pending()).toEqual([]);
  });

  it('never delivers an event twice, even with concurrent flushes', async () => {
    const outbox = new Outbox({ home: await tempDir(), deviceId: DEVICE, licenseKey: KEY, client });
    for (let i = 0; i < 5; i += 1) outbox.record('download-progress', progress(i));
    const results = await Promise.all([outbox.flush(), outbox.flush(), outbox.flush()]);
    expect(results.map((r) => r.delivered)).toEqual([5, 0, 0]);
    await outbox.flush();
    expect(portal.events).toHaveLength(5);
    expect([...portal.received.values()].every((count) => count === 1)).toBe(true);
    expect(portal.requests.events).toBe(1);
  });

  it("sends the device's license key with every batch", async () => {
    const outbox = new Outbox({ home: await tempDir(), deviceId: DEVICE, licenseKey: KEY, client });
    for (let i = 0; i < 150; i += 1) outbox.record('download-progress', progress(i));
    await outbox.flush();
    expect(portal.eventKeys).toEqual([KEY, KEY]);
  });

  it('sends batches of at most 100 in order', async () => {
    const outbox = new Outbox({ home: await tempDir(), deviceId: DEVICE, licenseKey: KEY, client });
    const ids = Array.from(
      { length: 250 },
      (_, i) => outbox.record('download-progress', progress(i)).id,
    );
    expect(await outbox.flush()).toEqual({ delivered: 250, pending: 0 });
    expect(portal.requests.events).toBe(3);
    expect(portal.events.map((e) => e.id)).toEqual(ids);
  });

  it('keeps the rest in order when the portal fails part-way', async () => {
    const outbox = new Outbox({ home: await tempDir(), deviceId: DEVICE, licenseKey: KEY, client });
    const ids = Array.from(
      { length: 150 },
      (_, i) => outbox.record('download-progress', progress(i)).id,
    );
    portal.respondNext('events', { status: 202, body: { accepted: 0 } }, { status: 503 });
    // The first (canned) 202 counts as accepted: the portal is trusted to have stored the batch.
    expect(await outbox.flush()).toEqual({ delivered: 100, pending: 50 });
    expect(outbox.pending().map((e) => e.id)).toEqual(ids.slice(100));
    expect(await outbox.flush()).toEqual({ delivered: 50, pending: 0 });
  });

  it('keeps events the portal refuses, without throwing', async () => {
    const outbox = new Outbox({ home: await tempDir(), deviceId: DEVICE, licenseKey: KEY, client });
    outbox.record('checked-in', eventFields('checked-in'));
    portal.respondNext('events', {
      status: 403,
      body: { error: { code: 'LICENSE_REVOKED', message: 'x' } },
    });
    expect(await outbox.flush()).toEqual({ delivered: 0, pending: 1 });
  });

  it('drops the oldest progress events first when full', async () => {
    const outbox = new Outbox({
      home: await tempDir(),
      deviceId: DEVICE,
      licenseKey: KEY,
      client,
      maxEvents: 3,
    });
    const started = outbox.record('download-started', eventFields('download-started'));
    outbox.record('download-progress', progress(1));
    const p2 = outbox.record('download-progress', progress(2));
    const finished = outbox.record('download-finished', eventFields('download-finished'));
    expect(outbox.pending().map((e) => e.id)).toEqual([started.id, p2.id, finished.id]);
    outbox.record('verified', eventFields('verified'));
    expect(outbox.pending().map((e) => e.type)).toEqual([
      'download-started',
      'download-finished',
      'verified',
    ]);
    // No progress event left: the oldest event of any kind goes.
    outbox.record('unpacked', eventFields('unpacked'));
    expect(outbox.pending().map((e) => e.type)).toEqual([
      'download-finished',
      'verified',
      'unpacked',
    ]);
  });

  it('reports a corrupt outbox file by name', async () => {
    const home = await tempDir();
    await writeFile(join(home, 'outbox.json'), '{"events": [');
    expect(() => new Outbox({ home, deviceId: DEVICE, licenseKey: KEY, client })).toThrow(
      expect.objectContaining({
        code: 'REGISTRATION_FAILED',
        message: expect.stringContaining('outbox.json'),
      }),
    );
  });

  it('reports a file whose events are no list as corrupt, and leaves it', async () => {
    const home = await tempDir();
    const text = JSON.stringify({ events: 'none' });
    await writeFile(join(home, 'outbox.json'), text);
    const outbox = new Outbox({ home, deviceId: DEVICE, licenseKey: KEY, client });
    expect(() => outbox.pending()).toThrow(
      expect.objectContaining({
        code: 'REGISTRATION_FAILED',
        message: expect.stringContaining('outbox.json is corrupt (it is not an object with a list'),
      }),
    );
    expect(await readFile(join(home, 'outbox.json'), 'utf8')).toBe(text);
  });

  it('reports an event that lacks the fields of its type as a corrupt file, and leaves it', async () => {
    const home = await tempDir();
    const text = JSON.stringify({ events: [{ ...sampleEvent('registered'), vmUuid: undefined }] });
    await writeFile(join(home, 'outbox.json'), text);
    const outbox = new Outbox({ home, deviceId: DEVICE, licenseKey: KEY, client });
    expect(() => outbox.pending()).toThrow(
      expect.objectContaining({
        code: 'REGISTRATION_FAILED',
        message: expect.stringMatching(/outbox\.json is corrupt \(events\.0\.vmUuid: /),
      }),
    );
    expect(await readFile(join(home, 'outbox.json'), 'utf8')).toBe(text);
  });
});
