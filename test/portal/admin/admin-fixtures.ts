import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { PortalOptions, RunningPortal } from '../../../electron/portal/server.ts';
import type { AdminErrorCode } from '../../../shared/admin-api.ts';
import type { CheckInResponse } from '../../../shared/protocol.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { sampleEvent } from '../../helpers/sample-events.ts';
import { sampleOrg, usePortals } from '../portal-fixtures.ts';

/** A SHA-256 as `shasum -a 256` prints it, with the file name. */
export const SHASUM_LINE = `${'5e'.repeat(32)}  /Users/admin/Parallels/Finance.pvmp`;

/** An answer of the admin API, its body parsed. */
export interface AdminAnswer {
  readonly status: number;
  readonly body: Record<string, unknown> & {
    error?: { code: string; message: string; problems?: { code: string; path: string }[] };
  };
}

/** Calls the admin API of a portal with its token (or with `token` when given). */
export function adminApi(portal: RunningPortal, token = portal.adminToken?.token) {
  const call = async (method: string, path: string, body?: unknown): Promise<AdminAnswer> => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${portal.url}/api/v1/admin${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : JSON.parse(text) };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    put: (path: string, body: unknown) => call('PUT', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

/** Checks that an answer is the refusal of a rule: status, code, and a message. */
export function expectRefused(answer: AdminAnswer, status: number, code: AdminErrorCode): string {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body.error?.code).toBe(code);
  expect(answer.body.error?.message.length).toBeGreaterThan(20);
  return answer.body.error!.message;
}

/** Starts portals over fresh temp data folders (persistent by default) for the current test. */
export function useAdminPortals() {
  const tempDir = useTempDirs();
  const start = usePortals();
  return {
    tempDir,
    /** A portal with the sample org and a generated admin token. */
    start: async (options: Partial<PortalOptions> = {}) =>
      start({ dataDir: await tempDir(), org: sampleOrg(), persist: true, ...options }),
    /** Starts a portal exactly as asked, closed after the test. */
    startWith: start,
  };
}

/** Checks a license key in as an arm64 Mac; returns the status and the policy when 200. */
export async function checkIn(portal: RunningPortal, licenseKey: string, deviceId = randomUUID()) {
  const res = await fetch(`${portal.url}/api/v1/checkin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      licenseKey,
      deviceId,
      hostname: 'mac-1.acme.test',
      arch: 'arm64',
      agentVersion: '1.0.0',
    }),
  });
  const body = (await res.json()) as CheckInResponse & Record<string, unknown>;
  return { status: res.status, body };
}

/** A golden image payload with both architectures enabled. */
export function goldenImagePayload(overrides: Record<string, unknown> = {}) {
  return {
    name: 'ACME Windows 11 for Finance',
    description: 'Excel for Windows',
    images: {
      arm64: {
        enabled: true,
        url: 'https://files.acme.example/fin-arm.pvmp',
        checksum: SHASUM_LINE,
      },
      x86_64: {
        enabled: true,
        url: 'https://files.acme.example/fin-x86.pvmp',
        checksum: 'ab'.repeat(32),
      },
    },
    assignedTo: [],
    ...overrides,
  };
}

/** Posts `count` download-progress events for a device with its key; `transferred` counts up from `start`. */
export function postEvents(
  url: string,
  deviceId: string,
  licenseKey: string,
  count: number,
  start = 0,
) {
  const events = Array.from({ length: count }, (_, i) =>
    sampleEvent('download-progress', {
      at: new Date(Date.UTC(2025, 0, 1, 0, 0, start + i)).toISOString(),
      transferred: start + i,
    }),
  );
  return fetch(`${url}/api/v1/devices/${deviceId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ licenseKey, events }),
  });
}
