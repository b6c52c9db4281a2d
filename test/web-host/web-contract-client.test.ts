import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppState, PushChannel } from '../../shared/ipc-contract.ts';
import { createWebContractClient } from '../../shared/web-contract-client.ts';
import { errorOf, valueOf } from '../app/app-fixture.ts';
import { NodeEventSource } from './node-event-source.ts';
import { useWebFixture } from './web-fixture.ts';

const { start, connect } = useWebFixture();
const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

describe('the web contract client', () => {
  it('delivers pushes to each listener until it unsubscribes', async () => {
    const { host, client } = await start();
    const second = await connect(host);
    const kept: AppState[] = [];
    const dropped: AppState[] = [];
    second.client.subscribe('state:changed', (state) => kept.push(state));
    const unsubscribe = second.client.subscribe('state:changed', (state) => dropped.push(state));
    unsubscribe();
    const since = second.pushes.messages.length;
    valueOf(await client.invoke('job:start-new-vm'));
    await second.pushes.phase('invited', since);
    expect(kept.map((state) => state.job.phase)).toContain('invited');
    expect(dropped).toEqual([]);
    second.client.close();
  });

  it('answers HOST_UNREACHABLE when something else answers in place of the web host', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const { port } = server.address() as AddressInfo;
    const client = createWebContractClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      token: 'any',
      fetch,
      EventSource: NodeEventSource,
    });
    expect(errorOf(await client.invoke('state:get')).code).toBe('HOST_UNREACHABLE');
  });

  it('refuses to subscribe to a channel the contract does not have', () => {
    const client = createWebContractClient({ token: 'any', fetch, EventSource: NodeEventSource });
    expect(() => client.subscribe('job:gossip' as PushChannel, () => undefined)).toThrow(TypeError);
  });
});
