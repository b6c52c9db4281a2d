import { describe, expect, it } from 'vitest';
import type { OrgConfigError } from '../../../electron/portal/org-config.ts';
import { parseOrgConfig } from '../../../electron/portal/org-config.ts';
import { sampleOrgData } from '../portal-fixtures.ts';
import { IMAGE, observe, useFaultPortal } from './fault-fixtures.ts';

const startPortal = useFaultPortal();
const TOKEN = 's3cret';
const auth = { authorization: `Bearer ${TOKEN}` };

function api(baseUrl: string, method: string, path = '', body?: unknown, headers = auth) {
  return fetch(`${baseUrl}/api/v1/faults${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('the fault API', () => {
  it('answers 403 explaining why when the portal has no admin token', async () => {
    const portal = await startPortal();
    const res = await api(portal.url, 'GET');
    expect(res.status).toBe(403);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/without an admin token/);
  });

  it('answers 401 to a missing or wrong token', async () => {
    const portal = await startPortal([], { adminToken: TOKEN });
    expect((await api(portal.url, 'GET', '', undefined, {} as typeof auth)).status).toBe(401);
    const wrong = await api(portal.url, 'GET', '', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('adds a fault that applies at once, and lists it with its counters', async () => {
    const portal = await startPortal([], { adminToken: TOKEN });
    const added = await api(portal.url, 'POST', '', { type: 'status', status: 429, retryAfter: 3 });
    expect(added.status).toBe(201);
    const { id } = (await added.json()) as { id: string };
    expect((await observe(portal.url, IMAGE)).status).toBe(429);
    const list = (await (await api(portal.url, 'GET')).json()) as { faults: unknown[] };
    expect(list.faults).toEqual([
      { id, type: 'status', status: 429, retryAfter: 3, toxicity: 1, attempts: 1, hits: 1 },
    ]);
  });

  it('refuses an invalid spec with 400 listing its problems, and a taken id with 409', async () => {
    const portal = await startPortal([], { adminToken: TOKEN });
    const bad = await api(portal.url, 'POST', '', { type: 'latency', latencyMs: -1, extra: 1 });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { message: string } };
    expect(error.message).toMatch(/latencyMs/);
    expect(error.message).toMatch(/extra/);
    expect((await api(portal.url, 'POST', '', { id: 'a', type: 'gzip' })).status).toBe(201);
    expect((await api(portal.url, 'POST', '', { id: 'a', type: 'gzip' })).status).toBe(409);
  });

  it('removes one fault (204, then 404) and all of them', async () => {
    const portal = await startPortal(
      [
        { id: 'one', type: 'status', status: 500 },
        { id: 'two', type: 'html_page' },
      ],
      { adminToken: TOKEN },
    );
    expect((await api(portal.url, 'DELETE', '/one')).status).toBe(204);
    expect((await api(portal.url, 'DELETE', '/one')).status).toBe(404);
    expect(portal.faults.list().map((f) => f.id)).toEqual(['two']);
    expect((await api(portal.url, 'DELETE')).status).toBe(204);
    expect(portal.faults.list()).toEqual([]);
    expect((await observe(portal.url, IMAGE)).status).toBe(200);
  });

  it('lets code add, list and remove faults on the running portal', async () => {
    const portal = await startPortal();
    const id = portal.faults.add({ type: 'status', status: 502 });
    expect((await observe(portal.url, IMAGE)).status).toBe(502);
    expect(portal.faults.remove(id)).toBe(true);
    expect(() => portal.faults.add({ type: 'status', status: 1 })).toThrow();
    expect((await observe(portal.url, IMAGE)).status).toBe(200);
  });
});

describe('faults in the org configuration', () => {
  it('are checked and applied from the start', async () => {
    const data = { ...sampleOrgData(), faults: [{ type: 'status', status: 410 }] };
    const org = parseOrgConfig(data, 'faulty.yaml');
    expect(org.faults).toEqual([{ type: 'status', status: 410, toxicity: 1 }]);
    const portal = await startPortal([], { org });
    expect((await observe(portal.url, IMAGE)).status).toBe(410);
  });

  it('list their problems like the other settings', () => {
    const data = {
      ...sampleOrgData(),
      faults: [
        { type: 'teleport' },
        { type: 'latency', latencyMs: 'slow', colour: 'red' },
        { id: 'same', type: 'gzip' },
        { id: 'same', type: 'chunked' },
      ],
    };
    let problems: { path: string; reason: string }[] = [];
    try {
      parseOrgConfig(data, 'faulty.yaml');
    } catch (error) {
      problems = [...(error as OrgConfigError).problems];
    }
    expect(problems.map((p) => p.path)).toEqual([
      'faults[0].type',
      'faults[1].latencyMs',
      'faults[1].colour',
      'faults[3].id',
    ]);
    expect(problems[0]!.reason).toMatch(/needs a "type", one of: latency, bandwidth/);
  });
});
