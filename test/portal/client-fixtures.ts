import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { expect } from 'vitest';
import type { CheckInRequest } from '../../shared/protocol.ts';

/** The admin token of the client API tests' portals. */
export const ADMIN_TOKEN = 'client-api-test-token';

/** A well-formed check-in of a new arm64 Mac with the engineering key of the sample org. */
export function checkInBody(overrides: Partial<CheckInRequest> = {}): CheckInRequest {
  return {
    licenseKey: 'ACME-ENG-0002',
    deviceId: randomUUID(),
    hostname: 'mac-17.acme.test',
    arch: 'arm64',
    agentVersion: '1.2.3',
    ...overrides,
  };
}

/** POSTs JSON (a string is sent as it is). */
export function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Checks a Mac in with `licenseKey` and returns its device id once the portal accepted it. */
export async function enrol(url: string, licenseKey = 'ACME-ENG-0002'): Promise<string> {
  const body = checkInBody({ licenseKey });
  const res = await post(`${url}/api/v1/checkin`, body);
  expect(res.status).toBe(200);
  return body.deviceId;
}

/** Posts an event batch for a device, with the license key given (none when undefined). */
export function postEvents(url: string, deviceId: string, licenseKey: unknown, events: unknown) {
  const body = licenseKey === undefined ? { events } : { licenseKey, events };
  return post(`${url}/api/v1/devices/${deviceId}/events`, body);
}

/** GETs a client API list with the test admin token, or with the header given. */
export async function list(url: string, path: string, authorization = `Bearer ${ADMIN_TOKEN}`) {
  const res = await fetch(`${url}/api/v1${path}`, { headers: { authorization } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}

/** Sends a check-in from the loopback address given (127.0.0.1, 127.0.0.2…). */
export function checkInFrom(
  url: string,
  localAddress: string,
  body: CheckInRequest,
): Promise<{ status: number; retryAfter: string | undefined; code: string | undefined }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': text.length };
    const req = request(
      `${url}/api/v1/checkin`,
      { method: 'POST', localAddress, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString() || '{}');
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter, code: answer.error?.code });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}
