import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { valueOf } from '../app/app-fixture.ts';
import { bearer, rawRequest, useWebFixture, type WebApp } from './web-fixture.ts';

const { start } = useWebFixture();

const json = { 'content-type': 'application/json' };

/** Posts to an invoke channel as any local process could, with the headers given. */
function post(host: WebApp['host'], channel: string, body: unknown, headers = {}) {
  return rawRequest(`${host.url}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { ...json, ...headers },
    body: JSON.stringify(body),
  });
}

function expectRefused(res: Awaited<ReturnType<typeof rawRequest>>, what: RegExp): void {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer realm="Provisim"');
  const body = JSON.parse(res.body);
  expect(body).toMatchObject({ ok: false, error: { code: 'ACCESS_TOKEN_INVALID' } });
  expect(body.error.message).toMatch(what);
  expect(body.error.message).toContain('Nothing was done.');
}

const NO_TOKEN = /carries no access token/;
const WRONG_TOKEN = /access token is not this web host's/;

/** The token with its last character changed: the same length, one byte off. */
function oneOff(token: string): string {
  return `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
}

describe('the web host access token', () => {
  it('refuses settings:save without the token and leaves the settings as they were', async () => {
    const { host, client } = await start();
    const before = valueOf(await client.invoke('settings:get'));
    const hostile = { ...before, portalUrl: 'https://evil.example', vmDir: '/tmp/theirs' };
    expectRefused(await post(host, 'settings:save', hostile), NO_TOKEN);
    expect(valueOf(await client.invoke('settings:get'))).toEqual(before);
  });

  it('refuses to start or accept a download without the token: the job stays where it was', async () => {
    const { host, service, client, pushes } = await start();
    expectRefused(await post(host, 'job:start-new-vm', {}), NO_TOKEN);
    expect(service.state().job.phase).toBe('idle');
    expect(valueOf(await client.invoke('activity:list'))).toEqual([]);
    valueOf(await client.invoke('job:start-new-vm'));
    await pushes.phase('invited');
    expectRefused(await post(host, 'job:answer-invitation', { answer: 'accept' }), NO_TOKEN);
    expect(service.state().job.phase).toBe('invited');
    expect(service.state().resumable).toBeNull();
  });

  it('refuses vm:remove with deleteFiles without the token: the VM and its files stay', async () => {
    const { host, service, client } = await start();
    const spec = { os: 'fedora-40', name: 'Box', cpus: 1, memoryMb: 1024, diskSizeBytes: 2 ** 20 };
    const vm = valueOf(await client.invoke('assistant:create-vm', spec));
    const removal = { uuid: vm.uuid, deleteFiles: true };
    expectRefused(await post(host, 'vm:remove', removal), NO_TOKEN);
    expect(service.state().vms.map((v) => v.uuid)).toEqual([vm.uuid]);
    expect(existsSync(vm.path)).toBe(true);
  });

  it('refuses a wrong token of the same length, of other lengths and under another scheme', async () => {
    const { host, service } = await start();
    const { token } = host;
    for (const authorization of [
      `Bearer ${oneOff(token)}`,
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token}A`,
      `Bearer ${token.toLowerCase()}`,
      `Basic ${token}`,
      token,
      'Bearer ',
    ]) {
      const res = await post(host, 'job:start-new-vm', {}, { authorization });
      const what = authorization.startsWith('Bearer ') && authorization !== 'Bearer ';
      expectRefused(res, what ? WRONG_TOKEN : NO_TOKEN);
    }
    // A token in the URL counts on the event stream only, which cannot send a header.
    const inQuery = await rawRequest(`${host.url}/api/invoke/job:start-new-vm?token=${token}`, {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    expectRefused(inQuery, NO_TOKEN);
    expect(service.state().job.phase).toBe('idle');
  });

  it('refuses the event stream without the token or with a wrong one', async () => {
    const { host } = await start();
    for (const [query, what] of [
      ['', NO_TOKEN],
      ['?token=', NO_TOKEN],
      [`?token=${oneOff(host.token)}`, WRONG_TOKEN],
      [`?token=${host.token.slice(0, 10)}`, WRONG_TOKEN],
    ] as const) {
      const res = await fetch(`${host.url}/api/events${query}`);
      // An open stream never ends: read only a refusal's body, close anything else.
      if (res.status !== 401) await res.body?.cancel();
      expect(res.status, query).toBe(401);
      expect(res.headers.get('content-type')).not.toMatch(/event-stream/);
      const headers = Object.fromEntries(res.headers);
      expectRefused({ status: res.status, headers, body: await res.text() }, what);
    }
  });

  it('answers the right token: calls in the header, the stream in the header or its query', async () => {
    const { host } = await start();
    for (const scheme of ['Bearer', 'bearer']) {
      const res = await post(host, 'state:get', {}, { authorization: `${scheme} ${host.token}` });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { job: { phase: 'idle' } } });
    }
    for (const [query, headers] of [
      [`?token=${host.token}`, {}],
      ['', bearer(host)],
    ] as const) {
      const res = await fetch(`${host.url}/api/events${query}`, { headers });
      await res.body?.cancel();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    }
  });

  it('makes a new 256-bit token at each start, which the next start refuses', async () => {
    const first = await start();
    const second = await start();
    for (const { host } of [first, second]) {
      expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(host.pageUrl).toBe(`${host.url}/?token=${host.token}`);
    }
    expect(second.host.token).not.toBe(first.host.token);
    expectRefused(await post(second.host, 'state:get', {}, bearer(first.host)), WRONG_TOKEN);
  });

  it('asks for the token on paths it does not know, before saying they are not there', async () => {
    const { host } = await start();
    expectRefused(await rawRequest(`${host.url}/api/nothing`), NO_TOKEN);
    expectRefused(await rawRequest(`${host.url}/`), NO_TOKEN);
    expect((await rawRequest(`${host.url}/api/nothing`, { headers: bearer(host) })).status).toBe(
      404,
    );
  });
});
