import { describe, expect, it } from 'vitest';
import type { FaultSpecInput } from '../../../shared/faults.ts';
import { IMAGE, observe, useFaultPortal } from './fault-fixtures.ts';

const startPortal = useFaultPortal();
const teapot = (extra: Partial<FaultSpecInput> = {}): FaultSpecInput =>
  ({ type: 'status', status: 418, ...extra }) as FaultSpecInput;

async function statuses(baseUrl: string, count: number, path = IMAGE, headers = {}) {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await observe(baseUrl, path, { headers })).status);
  return seen;
}

describe('fault scope', () => {
  it('applies to every request when it has no scope, the fault API aside', async () => {
    const portal = await startPortal([teapot()], { adminToken: 't' });
    expect((await observe(portal.url, '/api/v1/devices')).status).toBe(418);
    expect((await observe(portal.url, IMAGE)).status).toBe(418);
    const api = await observe(portal.url, '/api/v1/faults', {
      headers: { authorization: 'Bearer t' },
    });
    expect(api.status).toBe(200);
  });

  it('matches exact paths and prefixes ending in *', async () => {
    const portal = await startPortal([teapot({ scope: { paths: ['/images/*'] } })], {
      adminToken: 't',
    });
    expect((await observe(portal.url, IMAGE)).status).toBe(418);
    const headers = { authorization: 'Bearer t' };
    expect((await observe(portal.url, '/api/v1/devices', { headers })).status).toBe(200);
    const exact = await startPortal([teapot({ scope: { paths: ['/images/win11'] } })]);
    expect((await observe(exact.url, IMAGE)).status).toBe(200);
  });

  it('matches methods whatever their case', async () => {
    const portal = await startPortal([teapot({ scope: { methods: ['head'] } })]);
    expect((await observe(portal.url, IMAGE, { method: 'HEAD' })).status).toBe(418);
    expect((await observe(portal.url, IMAGE)).status).toBe(200);
  });

  it('range "with" and "without" pick requests by their Range header', async () => {
    const portal = await startPortal([
      teapot({ scope: { range: 'with' } }),
      { type: 'status', status: 410, scope: { range: 'without' } },
    ]);
    expect((await observe(portal.url, IMAGE, { headers: { range: 'bytes=0-9' } })).status).toBe(
      418,
    );
    expect((await observe(portal.url, IMAGE)).status).toBe(410);
  });

  it('attempts first, nth and from count the requests in the path and method scope', async () => {
    const first = await startPortal([teapot({ scope: { attempts: { first: 2 } } })]);
    expect(await statuses(first.url, 4)).toEqual([418, 418, 200, 200]);
    const nth = await startPortal([teapot({ scope: { attempts: { nth: 3 } } })]);
    expect(await statuses(nth.url, 4)).toEqual([200, 200, 418, 200]);
    const from = await startPortal([teapot({ scope: { attempts: { from: 3 } } })]);
    expect(await statuses(from.url, 4)).toEqual([200, 200, 418, 418]);
  });

  it('counts attempts per fault and only on its own paths', async () => {
    const portal = await startPortal([teapot({ scope: { paths: [IMAGE], attempts: { nth: 2 } } })]);
    await observe(portal.url, '/api/v1/devices');
    expect(await statuses(portal.url, 3)).toEqual([200, 418, 200]);
  });

  it('toxicity 0 never applies and 1 always does', async () => {
    const never = await startPortal([teapot({ toxicity: 0 })]);
    expect(await statuses(never.url, 5)).toEqual([200, 200, 200, 200, 200]);
    const always = await startPortal([teapot({ toxicity: 1 })]);
    expect(await statuses(always.url, 5)).toEqual([418, 418, 418, 418, 418]);
  });

  it('toxicity draws from the seeded generator: the same seed gives the same run', async () => {
    const run = async (faultSeed: number) => {
      const portal = await startPortal([teapot({ toxicity: 0.5 })], { faultSeed });
      return statuses(portal.url, 24);
    };
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(a).toContain(418);
    expect(a).toContain(200);
    expect(await run(43)).not.toEqual(a);
  });

  it('combines faults: latency before a status on the same request', async () => {
    const portal = await startPortal([{ type: 'latency', latencyMs: 100 }, teapot()]);
    const res = await observe(portal.url, IMAGE);
    expect(res.status).toBe(418);
    expect(res.headersAt).toBeGreaterThanOrEqual(95);
  });
});
