import { createAdminClient, type AdminClient } from '../../../renderer/admin/api/admin-client.ts';
import type { AdminFleetDevice } from '../../../renderer/admin/api/fleet-words.ts';

/** What a fake route answers. */
export interface FakeAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/** A request the page sent, as the fake portal saw it. */
export interface SentRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

/** Routes keyed `METHOD /path?query`; a function sees the request's JSON body. */
export type FakeRoutes = Record<string, FakeAnswer | ((request: SentRequest) => FakeAnswer)>;

/** A portal in memory: answers from `routes`, remembers every request, 404 for the rest. */
export function fakePortal(routes: FakeRoutes) {
  const sent: SentRequest[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const { pathname, search } = new URL(url);
    const headers = (init.headers ?? {}) as Record<string, string>;
    const request: SentRequest = {
      method: init.method ?? 'GET',
      path: `${pathname}${search}`,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      authorization: headers.authorization,
    };
    sent.push(request);
    const route = routes[`${request.method} ${request.path}`];
    const answer = typeof route === 'function' ? route(request) : route;
    const { status, body } = answer ?? fail(404, 'NOT_FOUND', `No fake route for ${request.path}.`);
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, sent };
}

/** An admin API refusal with its sentence and, optionally, its problems and facts. */
export function fail(
  status: number,
  code: string,
  message: string,
  problems?: { code: string; path: string; reason: string; options?: string[] }[],
  facts: Record<string, string[]> = {},
): FakeAnswer {
  return {
    status,
    body: { error: { code, message, ...(problems ? { problems } : {}), ...facts } },
  };
}

/** A client of the fake portal with a token that works. */
export function fakeClient(routes: FakeRoutes): { client: AdminClient; sent: SentRequest[] } {
  const portal = fakePortal(routes);
  const client = createAdminClient({
    baseUrl: 'http://portal.test',
    token: 'tok',
    fetch: portal.fetch,
    onUnauthorized: () => undefined,
  });
  return { client, sent: portal.sent };
}

/** A Mac of the fleet, with `change` applied. */
export function someDevice(change: Partial<AdminFleetDevice> = {}): AdminFleetDevice {
  return {
    deviceId: 'dev-1',
    hostname: 'mac-finance-01',
    serialNumber: 'C02ZK1XMMD6T',
    arch: 'arm64',
    licenseKey: 'ACME-FIN-••••',
    groupId: 'finance',
    agentVersion: '0.1.0',
    lastCheckInAt: '2025-02-03T04:05:06.000Z',
    online: true,
    phase: null,
    goldenImageId: null,
    progress: null,
    corporateVms: [],
    retrieval: null,
    ...change,
  };
}
