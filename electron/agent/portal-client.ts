import got from 'got';
import { ProvisimError } from '../../shared/provisim-error.ts';
import {
  API_PREFIX,
  checkInResponseSchema,
  eventBatchResponseSchema,
  portalCommandSchema,
  type AgentEvent,
  type CheckInRequest,
  type CheckInResponse,
  type PortalCommand,
} from '../../shared/protocol.ts';
import { agentVersion } from './identity.ts';
import {
  cappedAnswer,
  checkInTurnedAway,
  postToPortal,
  type PortalRequestOptions,
} from './portal-request.ts';
import { certificateError } from './tls-errors.ts';
import { createTransport, type Transport } from './transport.ts';
import {
  NOT_JSON,
  invalidCheckInAnswer,
  parseJson,
  parsePortalUrl,
  portalStatusError,
  portalUnreachable,
} from './portal-errors.ts';

/** Options of a PortalClient. */
export interface PortalClientOptions {
  portalUrl: string;
  /** Time limit of one request. */
  timeoutMs?: number;
  /** Extra attempts after a network error or a 5xx. */
  retries?: number;
  /** Delay before the first retry; doubles each time. */
  retryDelayMs?: number;
  /** Trust and proxy of the agent context; default: system roots, the environment's proxy. */
  transport?: Transport;
}

/** Result of a check-in: a new policy, or "your cached one is current" (304). */
export type CheckInResult =
  { status: 'changed'; etag: string; body: CheckInResponse } | { status: 'unchanged' };

/** Talks to the management portal's client API (check-in and event delivery). */
export class PortalClient {
  readonly portalUrl: string;
  readonly #requests: PortalRequestOptions;

  constructor(options: PortalClientOptions) {
    this.portalUrl = parsePortalUrl(options.portalUrl);
    this.#requests = {
      portalUrl: this.portalUrl,
      transport: options.transport ?? createTransport(),
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 500,
    };
  }

  /** Checks in; sends If-None-Match when an etag is given. */
  async checkIn(
    request: CheckInRequest,
    etag?: string,
    signal?: AbortSignal,
  ): Promise<CheckInResult> {
    const headers: Record<string, string> = etag ? { 'if-none-match': etag } : {};
    const response = await postToPortal(this.#requests, '/checkin', request, headers, signal);
    if (response.statusCode === 304) return { status: 'unchanged' };
    if (response.statusCode !== 200) {
      const { statusCode, body } = response;
      throw checkInTurnedAway(response) ?? portalStatusError(this.portalUrl, statusCode, body);
    }
    const json = parseJson(response.body);
    if (json === NOT_JSON) throw invalidCheckInAnswer(this.portalUrl);
    const parsed = checkInResponseSchema.safeParse(json);
    if (!parsed.success) throw invalidCheckInAnswer(this.portalUrl, parsed.error);
    return { status: 'changed', etag: response.headers.etag ?? '', body: parsed.data };
  }

  /** Delivers a batch of events with the device's license key; the portal ignores ids it has. */
  async postEvents(
    deviceId: string,
    licenseKey: string,
    events: AgentEvent[],
    signal?: AbortSignal,
  ): Promise<{ accepted: number }> {
    const path = `/devices/${encodeURIComponent(deviceId)}/events`;
    const response = await postToPortal(this.#requests, path, { licenseKey, events }, {}, signal);
    const status = response.statusCode;
    if (status !== 202 && status !== 200) {
      throw portalStatusError(this.portalUrl, status, response.body);
    }
    const parsed = eventBatchResponseSchema.safeParse(parseJson(response.body));
    if (!parsed.success) {
      // Not POLICY_INVALID: the events stay queued and are sent again (the portal is idempotent).
      throw portalUnreachable(this.portalUrl, `unexpected answer to events, HTTP ${status}`, {
        details: { status },
      });
    }
    return parsed.data;
  }

  /** Waits (long-poll, up to ~25 s) for a command from the portal; null when none came. */
  async pollCommand(
    deviceId: string,
    licenseKey: string,
    signal?: AbortSignal,
  ): Promise<PortalCommand | null> {
    const url = `${this.portalUrl}${API_PREFIX}${commandsPath(deviceId, '', licenseKey)}`;
    const request = got(url, {
      headers: { 'user-agent': `provisim-agent/${agentVersion()}` },
      responseType: 'text',
      throwHttpErrors: false,
      retry: { limit: 0 },
      // The portal holds the request up to 25 s: give it room before calling it dead.
      timeout: { request: 40_000 },
      ...this.#requests.transport,
      signal,
    });
    const response = await cappedAnswer(request, this.portalUrl).catch((error: unknown) => {
      if (signal?.aborted) throw new ProvisimError('CANCELLED');
      throw certificateError(error, { role: 'management portal', url: this.portalUrl }) ?? error;
    });
    if (response.statusCode === 204) return null;
    const parsed = portalCommandSchema.safeParse(parseJson(response.body));
    if (response.statusCode === 200 && parsed.success) return parsed.data;
    throw portalStatusError(this.portalUrl, response.statusCode, response.body);
  }

  /** Tells the portal a command was carried out (after the check-in it asked for). */
  async ackCommand(deviceId: string, id: string, licenseKey: string, signal?: AbortSignal) {
    const path = commandsPath(deviceId, `/${encodeURIComponent(id)}/ack`, licenseKey);
    const response = await postToPortal(this.#requests, path, {}, {}, signal);
    if (response.statusCode !== 204) {
      throw portalStatusError(this.portalUrl, response.statusCode, response.body);
    }
  }
}

function commandsPath(deviceId: string, rest: string, licenseKey: string): string {
  const query = new URLSearchParams({ licenseKey });
  return `/devices/${encodeURIComponent(deviceId)}/commands${rest}?${query}`;
}
