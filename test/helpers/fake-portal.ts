import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  API_PREFIX,
  checkInRequestSchema,
  eventBatchSchema,
  type AgentEvent,
  type CheckInRequest,
  type Policy,
} from '../../shared/protocol.ts';

/** License states the fake portal knows; keys not set are active. */
export type FakeLicenseState = 'active' | 'unknown' | 'expired' | 'revoked';

/** A canned answer that replaces the next normal one on a route. */
export interface CannedResponse {
  status?: number;
  /** A string is sent as is (for bad JSON); anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

type Route = 'checkin' | 'events';

/** A well-formed check-in body from an arm64 Mac. */
export const sampleCheckInRequest: CheckInRequest = {
  licenseKey: 'LIC-0001-ABCD',
  deviceId: '7d444840-9dc0-41d1-a9a6-ad2c4e0ec3a7',
  hostname: 'mac-1',
  arch: 'arm64',
  agentVersion: '0.1.0',
};

/** A policy with a golden image, for tests. */
export function samplePolicy(overrides: Partial<Policy> = {}): Policy {
  return {
    id: 'policy-1',
    revision: 1,
    restrictToCorporateVms: false,
    oneCorporateVmPerUser: true,
    preventCorporateVmRemoval: false,
    goldenImage: {
      id: 'img-1',
      name: 'Corporate Windows 11',
      description: '',
      arch: 'arm64',
      url: 'https://images.example.com/win11.pvmp',
      sha256: 'a'.repeat(64),
    },
    ...overrides,
  };
}

const LICENSE_ERRORS = {
  unknown: { status: 401, code: 'LICENSE_UNKNOWN' },
  expired: { status: 403, code: 'LICENSE_EXPIRED' },
  revoked: { status: 403, code: 'LICENSE_REVOKED' },
} as const;

/** A tiny protocol-following portal on 127.0.0.1 that can go down and up on the same port. */
export class FakePortal {
  readonly requests = { checkin: 0, events: 0 };
  readonly checkIns: { body: CheckInRequest; ifNoneMatch: string | undefined }[] = [];
  /** Accepted events, each once, in arrival order. */
  readonly events: AgentEvent[] = [];
  /** The license key of each event batch received, in arrival order. */
  readonly eventKeys: string[] = [];
  /** How many times each event id was received (duplicates included). */
  readonly received = new Map<string, number>();
  readonly licenses = new Map<string, FakeLicenseState>();
  policy: Policy = samplePolicy();
  checkInIntervalSec = 300;
  port = 0;
  readonly #canned: Record<Route, CannedResponse[]> = { checkin: [], events: [] };
  #server: Server | undefined;

  /** Starts a fake portal on a free port. */
  static async start(): Promise<FakePortal> {
    const portal = new FakePortal();
    await portal.up();
    return portal;
  }

  /** Base URL of the portal. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Queues answers that replace the next normal ones on a route. */
  respondNext(route: Route, ...responses: CannedResponse[]): void {
    this.#canned[route].push(...responses);
  }

  /** Listens (again, on the same port once one was chosen). */
  async up(): Promise<void> {
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening and drops open connections, so clients see connection refused. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '';
    const eventsMatch = new RegExp(`^${API_PREFIX}/devices/([^/]+)/events$`).exec(path);
    const route: Route | undefined =
      path === `${API_PREFIX}/checkin` ? 'checkin' : eventsMatch ? 'events' : undefined;
    if (req.method !== 'POST' || !route) return send(res, 404, apiError('NOT_FOUND', 'No route'));
    this.requests[route] += 1;
    const canned = this.#canned[route].shift();
    if (canned?.hang) return;
    if (canned) return send(res, canned.status ?? 200, canned.body ?? '', canned.headers);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return send(res, 400, apiError('USAGE', 'Body is not JSON'));
    }
    if (route === 'checkin') return this.#checkIn(req, res, json);
    return this.#events(res, json);
  }

  #checkIn(req: IncomingMessage, res: ServerResponse, json: unknown): void {
    const parsed = checkInRequestSchema.safeParse(json);
    if (!parsed.success) return send(res, 400, apiError('USAGE', 'Bad check-in'));
    const ifNoneMatch = req.headers['if-none-match'];
    this.checkIns.push({ body: parsed.data, ifNoneMatch });
    const state = this.licenses.get(parsed.data.licenseKey) ?? 'active';
    if (state !== 'active') {
      const { status, code } = LICENSE_ERRORS[state];
      return send(res, status, apiError(code, `Server says: license ${state}`));
    }
    const body = JSON.stringify({
      policy: this.policy,
      checkInIntervalSec: this.checkInIntervalSec,
    });
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (ifNoneMatch === etag) return send(res, 304, '', { etag });
    send(res, 200, body, { etag, 'content-type': 'application/json' });
  }

  #events(res: ServerResponse, json: unknown): void {
    const parsed = eventBatchSchema.safeParse(json);
    if (!parsed.success) return send(res, 400, apiError('USAGE', 'Bad event batch'));
    this.eventKeys.push(parsed.data.licenseKey);
    let accepted = 0;
    for (const event of parsed.data.events) {
      const seen = this.received.get(event.id) ?? 0;
      this.received.set(event.id, seen + 1);
      if (seen > 0) continue;
      this.events.push(event);
      accepted += 1;
    }
    send(res, 202, { accepted });
  }
}

function apiError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain' : 'application/json';
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(status === 304 ? undefined : text);
}
