import { describe, expect, it } from 'vitest';
import { createWebContractClient } from '../../shared/web-contract-client.ts';
import { errorOf } from '../app/app-fixture.ts';
import { NodeEventSource } from './node-event-source.ts';
import { bearer, rawRequest, useWebFixture } from './web-fixture.ts';

const { start } = useWebFixture();

const json = { 'content-type': 'application/json' };

describe('the web host API', () => {
  it('answers an unknown channel with 404 and UNKNOWN_CHANNEL', async () => {
    const { host } = await start();
    const res = await rawRequest(`${host.url}/api/invoke/job:format-disk`, {
      method: 'POST',
      headers: { ...json, ...bearer(host) },
      body: '{}',
    });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('answers a bad payload, bad JSON and a wrong content type with INVALID_PAYLOAD', async () => {
    const { host } = await start();
    const url = `${host.url}/api/invoke/job:answer-invitation`;
    const cases = [
      { status: 400, headers: { ...json, ...bearer(host) }, body: '{"answer":"maybe"}' },
      { status: 400, headers: { ...json, ...bearer(host) }, body: '{"answer":' },
      {
        status: 415,
        headers: { 'content-type': 'text/plain', ...bearer(host) },
        body: '{"answer":"accept"}',
      },
    ];
    for (const { status, ...options } of cases) {
      const res = await rawRequest(url, { method: 'POST', ...options });
      expect(res.status, options.body).toBe(status);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
  });

  it("refuses other sites' pages and host names that are not this app's", async () => {
    const { host } = await start();
    const url = `${host.url}/api/invoke/state:get`;
    const foreign = await rawRequest(url, {
      method: 'POST',
      headers: { ...json, ...bearer(host), origin: 'https://evil.example' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD' },
    });
    const rebound = await rawRequest(url, {
      method: 'POST',
      headers: { ...json, ...bearer(host), host: `evil.example:${new URL(host.url).port}` },
      body: '{}',
    });
    expect(rebound.status).toBe(421);
    const own = await rawRequest(url, {
      method: 'POST',
      headers: { ...json, ...bearer(host), origin: host.url.replace('127.0.0.1', 'localhost') },
      body: '{}',
    });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toMatchObject({ ok: true, value: { job: { phase: 'idle' } } });
  });

  it('streams push channels as server-sent events named after their channel', async () => {
    const { host } = await start();
    const source = new NodeEventSource(`${host.url}/api/events?token=${host.token}`);
    const first = await new Promise<unknown>((resolve) =>
      source.addEventListener('state:changed', (event) => resolve(JSON.parse(event.data))),
    );
    source.close();
    await source.ended;
    expect(first).toMatchObject({ job: { phase: 'idle' }, agent: { embeddedPortal: true } });
  });

  it('answers HOST_UNREACHABLE in the client when the host is gone', async () => {
    const { host } = await start();
    await host.close();
    const client = createWebContractClient({
      baseUrl: host.url,
      token: host.token,
      fetch,
      EventSource: NodeEventSource,
    });
    expect(errorOf(await client.invoke('state:get'))).toMatchObject({
      code: 'HOST_UNREACHABLE',
      retryable: true,
    });
  });

  it('answers other paths with 404 when no renderer is served', async () => {
    const { host } = await start();
    const res = await rawRequest(`${host.url}/`, { headers: bearer(host) });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false });
  });
});
