import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { JobReporter } from '../../electron/agent/job-reporter.ts';
import { Outbox } from '../../electron/agent/outbox.ts';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import { FakePortal } from '../helpers/fake-portal.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
const silent = pino({ level: 'silent' });

/** A server that accepts connections and never answers: the worst portal for an agent. */
async function blackHole(): Promise<string> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

describe('JobReporter', () => {
  it('delivers every event once and in order', async () => {
    const portal = await FakePortal.start();
    closers.push(() => portal.down());
    const outbox = new Outbox({
      home: await tempDir(),
      deviceId: randomUUID(),
      client: new PortalClient({ portalUrl: portal.url }),
    });
    const seen: string[] = [];
    const reporter = new JobReporter(outbox, silent, (event) => seen.push(event.id));
    for (const type of [
      'checked-in',
      'invited',
      'accepted',
      'download-started',
      'verified',
    ] as const) {
      reporter.emit(type);
    }
    expect(await reporter.settle()).toEqual({ pending: 0 });
    expect([...portal.received.keys()]).toEqual(seen);
    expect([...portal.received.values()].every((count) => count === 1)).toBe(true);
  });

  it('leaves events in the outbox and returns at its deadline when the portal never answers', async () => {
    const client = new PortalClient({ portalUrl: await blackHole(), timeoutMs: 60_000 });
    const outbox = new Outbox({ home: await tempDir(), deviceId: randomUUID(), client });
    const reporter = new JobReporter(outbox, silent);
    for (let i = 0; i < 5; i++) reporter.emit('download-retrying', { attempt: i });
    expect(await reporter.settle(100)).toEqual({ pending: 5 });
  });
});
