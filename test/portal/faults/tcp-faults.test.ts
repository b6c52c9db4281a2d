import { describe, expect, it } from 'vitest';
import {
  content,
  getText,
  IMAGE,
  observe,
  rawBody,
  rawExchange,
  useFaultPortal,
} from './fault-fixtures.ts';

const startPortal = useFaultPortal();
const size = content.length;

describe('TCP-like faults', () => {
  it('latency delays the start of the answer by latencyMs', async () => {
    const portal = await startPortal([{ type: 'latency', latencyMs: 150 }]);
    const res = await observe(portal.url, IMAGE);
    expect(res.headersAt).toBeGreaterThanOrEqual(145);
    expect(res.body.equals(content)).toBe(true);
  });

  it('latency with jitter stays within latency ± jitter', async () => {
    const portal = await startPortal([{ type: 'latency', latencyMs: 100, jitterMs: 50 }]);
    const res = await observe(portal.url, IMAGE);
    expect(res.headersAt).toBeGreaterThanOrEqual(45);
    expect(res.status).toBe(200);
  });

  it('bandwidth throttles the body to bytesPerSec', async () => {
    const portal = await startPortal([{ type: 'bandwidth', bytesPerSec: 1_000_000 }]);
    const res = await observe(portal.url, IMAGE);
    // 200 000 bytes at 1 MB/s: at least 200 ms minus one quantum of 50 ms.
    expect(res.endedAt - res.headersAt).toBeGreaterThanOrEqual(140);
    expect(res.chunkAt.length).toBeGreaterThan(3);
    expect(res.body.equals(content)).toBe(true);
  });

  it('slow_close keeps the connection open for delayMs after the last byte', async () => {
    const portal = await startPortal([{ type: 'slow_close', delayMs: 200 }]);
    const res = await rawExchange(portal.url, getText(IMAGE));
    expect(res.ending).toBe('end');
    expect(rawBody(res.data).equals(content)).toBe(true);
    expect(res.endedAt - res.lastDataAt).toBeGreaterThanOrEqual(190);
  });

  it('timeout sends nothing and closes the connection after afterMs', async () => {
    const portal = await startPortal([{ type: 'timeout', afterMs: 150 }]);
    const res = await rawExchange(portal.url, getText(IMAGE));
    expect(res.data.length).toBe(0);
    expect(res.endedAt).toBeGreaterThanOrEqual(145);
  });

  it('timeout without afterMs holds the request until the fault is removed', async () => {
    const portal = await startPortal([{ id: 'hold', type: 'timeout' }], { adminToken: TOKEN });
    const pending = rawExchange(portal.url, getText(IMAGE));
    await until(async () => (await hitsOf(portal.url, 'hold')) === 1);
    expect(portal.faults.remove('hold')).toBe(true);
    const res = await pending;
    expect(res.data.length).toBe(0);
    expect(res.ending).toBe('end');
  });

  it('reset_peer without parameters resets the connection before any answer', async () => {
    const portal = await startPortal([{ type: 'reset_peer' }]);
    const res = await observe(portal.url, IMAGE);
    expect(res.error).toBe('ECONNRESET');
    expect(res.status).toBe(0);
  });

  it('reset_peer afterBytes resets the connection once that many body bytes were sent', async () => {
    const portal = await startPortal([{ type: 'reset_peer', afterBytes: 50_000 }]);
    const res = await rawExchange(portal.url, getText(IMAGE));
    expect(res.ending).toBe('ECONNRESET');
    expect(rawBody(res.data).length).toBeLessThanOrEqual(50_000);
  });

  it('reset_peer afterMs resets a slow answer after that time', async () => {
    const portal = await startPortal([
      { type: 'reset_peer', afterMs: 100 },
      { type: 'bandwidth', bytesPerSec: 100_000 },
    ]);
    const res = await observe(portal.url, IMAGE);
    expect(res.error).toBe('ECONNRESET');
    expect(res.endedAt).toBeGreaterThanOrEqual(95);
    expect(res.body.length).toBeLessThan(size);
  });

  it('slicer sends the body in small writes with a delay between them', async () => {
    const portal = await startPortal(
      [{ type: 'slicer', averageSize: 10_000, sizeVariation: 2_000, delayMs: 10 }],
      { faultSeed: 7 },
    );
    const res = await observe(portal.url, IMAGE);
    expect(res.body.equals(content)).toBe(true);
    // About 20 slices with 10 ms between them.
    expect(res.chunkAt.length).toBeGreaterThanOrEqual(10);
    expect(res.endedAt - res.headersAt).toBeGreaterThanOrEqual(150);
  });

  it('limit_data closes cleanly after that many bytes of the answer, head included', async () => {
    const portal = await startPortal([{ type: 'limit_data', bytes: 10_000 }]);
    const res = await rawExchange(portal.url, getText(IMAGE));
    expect(res.ending).toBe('end');
    expect(res.data.length).toBe(10_000);
    expect(res.data.toString('latin1')).toContain(`content-length: ${size}`);
  });

  it('down refuses connections until the fault is removed, then serves on the same port', async () => {
    const portal = await startPortal();
    const id = portal.faults.add({ type: 'down' });
    await expect(observe(portal.url, IMAGE)).resolves.toMatchObject({ error: 'ECONNREFUSED' });
    portal.faults.remove(id);
    await until(async () => (await observe(portal.url, IMAGE)).status === 200);
    const res = await observe(portal.url, IMAGE);
    expect(res.body.equals(content)).toBe(true);
  });

  it('down with forMs comes back up by itself', async () => {
    const portal = await startPortal();
    portal.faults.add({ type: 'down', forMs: 100 });
    await expect(observe(portal.url, IMAGE)).resolves.toMatchObject({ error: 'ECONNREFUSED' });
    await until(async () => (await observe(portal.url, IMAGE)).status === 200);
    expect(portal.faults.list()).toEqual([]);
  });

  it('down at start refuses connections, and the portal still closes', async () => {
    const portal = await startPortal([{ type: 'down' }]);
    await expect(observe(portal.url, '/api/v1/devices')).resolves.toMatchObject({
      error: 'ECONNREFUSED',
    });
  });
});

/** Admin token of the tests that ask the fault API. */
const TOKEN = 'test-admin-token';

// How often a fault was applied, as the fault API reports it.
async function hitsOf(url: string, id: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/faults`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const { faults } = (await res.json()) as { faults: { id: string; hits: number }[] };
  return faults.find((f) => f.id === id)?.hits ?? 0;
}

// Polls a condition the portal reports, a few milliseconds apart.
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('The condition was not reached.');
}
