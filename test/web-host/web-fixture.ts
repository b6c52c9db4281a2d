import { request } from 'node:http';
import { afterEach } from 'vitest';
import {
  createWebContractClient,
  type WebContractClient,
} from '../../shared/web-contract-client.ts';
import type { AppService } from '../../electron/app/app-service.ts';
import { startWebHost, type RunningWebHost } from '../../electron/web-host/web-host.ts';
import { useAppFixture } from '../app/app-fixture.ts';
import { recordPushes, type PushRecorder } from '../app/push-recorder.ts';
import { NodeEventSource } from './node-event-source.ts';

/** An app service behind a web host, with a contract client speaking to it over HTTP and SSE. */
export interface WebApp {
  readonly home: string;
  readonly service: AppService;
  readonly host: RunningWebHost;
  readonly client: WebContractClient;
  readonly pushes: PushRecorder;
}

/** Per-test web hosts over app services; hosts, clients and services are closed after the test. */
export function useWebFixture() {
  const app = useAppFixture();
  const hosts: { host: RunningWebHost; client: WebContractClient }[] = [];
  const clients: WebContractClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const { host } of hosts.splice(0)) await host.close();
  });

  /** Connects a client to a running host and waits until its event stream has delivered the state. */
  async function connect(
    host: Pick<RunningWebHost, 'url' | 'token'>,
  ): Promise<{ client: WebContractClient; pushes: PushRecorder }> {
    const client = createWebContractClient({
      baseUrl: host.url,
      token: host.token,
      fetch,
      EventSource: NodeEventSource,
    });
    clients.push(client);
    const pushes = recordPushes(client);
    // The stream opens with the current state: from then on nothing can be missed.
    await pushes.until('state:changed', () => true);
    return { client, pushes };
  }

  async function start(
    options: Parameters<typeof app.start>[0] & { staticDir?: string } = {},
  ): Promise<WebApp> {
    const { staticDir, ...rest } = options;
    const { home, service } = await app.start(rest);
    const host = await startWebHost({ service, staticDir });
    const { client, pushes } = await connect(host);
    hosts.push({ host, client });
    return { home, service, host, client, pushes };
  }

  /** Closes a web app ahead of the test's end: client, host and service (a restart). */
  async function stop(web: WebApp): Promise<void> {
    hosts.splice(
      hosts.findIndex((h) => h.host === web.host),
      1,
    );
    web.client.close();
    await web.host.close();
    await app.stop(web.service);
  }

  return { ...app, start, stop, connect };
}

/** The header that carries a host's access token. */
export function bearer(host: Pick<RunningWebHost, 'token'>): Record<string, string> {
  return { authorization: `Bearer ${host.token}` };
}

/** A raw HTTP request, so that Host and Origin can be set as another site's page would. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
