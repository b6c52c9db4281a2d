import { randomUUID } from 'node:crypto';
import { afterEach, expect } from 'vitest';
import type { AdminStreamMessage } from '../../../shared/admin-fleet.ts';
import type { FleetOptions } from '../../../electron/portal/fleet/fleet-setup.ts';
import type { Retrieval } from '../../../electron/portal/fleet/retrieval-board.ts';
import { startPortal, type RunningPortal } from '../../../electron/portal/server.ts';
import type { OrgConfig } from '../../../electron/portal/org-config.ts';

/** The admin token of every fleet test portal. */
export const TOKEN = 'fleet-test-token';

/** Starts portals with the admin token over a data folder; all closed after the test. */
export function useFleetPortals() {
  const running: RunningPortal[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((portal) => portal.close()));
  });
  return async (dataDir: string, org: OrgConfig, fleet: FleetOptions = {}) => {
    const portal = await startPortal({ dataDir, org, logger: false, adminToken: TOKEN, fleet });
    running.push(portal);
    return portal;
  };
}

// Answers are checked field by field in the tests; a loose type keeps them readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

/** Calls the admin API with the test token; answers the status and the parsed body. */
export async function admin(portal: RunningPortal, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${portal.url}/api/v1/admin${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as Body };
}

/** Checks an error answer: its status, its stable code, and a sentence for the admin. */
export function expectError(answer: { status: number; body: Body }, status: number, code: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body.error.code).toBe(code);
  expect(answer.body.error.message.length).toBeGreaterThan(30);
}

/** Resolves once the board shows `deviceId`'s channel open (or closed), at once when it does. */
export function channelIs(portal: RunningPortal, deviceId: string, open: boolean): Promise<void> {
  const { board } = portal.fleet;
  return new Promise((resolve) => {
    if (board.channelOpen(deviceId) === open) return resolve();
    const listener = (id: string, now: boolean) => {
      if (id !== deviceId || now !== open) return;
      board.off('channel', listener);
      resolve();
    };
    board.on('channel', listener);
  });
}

/** Resolves with the device's retrieval once it reaches `state`. */
export function retrievalIs(portal: RunningPortal, deviceId: string, state: Retrieval['state']) {
  const { board } = portal.fleet;
  return new Promise<Retrieval>((resolve) => {
    const now = board.retrieval(deviceId);
    if (now?.state === state) return resolve(now);
    const listener = (id: string, retrieval: Retrieval) => {
      if (id !== deviceId || retrieval.state !== state) return;
      board.off('retrieval', listener);
      resolve(retrieval);
    };
    board.on('retrieval', listener);
  });
}

/** The admin stream, read message by message. */
export async function openStream(portal: RunningPortal) {
  const controller = new AbortController();
  const res = await fetch(`${portal.url}/api/v1/admin/stream`, {
    headers: { authorization: `Bearer ${TOKEN}` },
    signal: controller.signal,
  });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  /** The next message that passes `test`; earlier ones are skipped. */
  async function next(test: (m: AdminStreamMessage) => boolean = () => true) {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        const message = data && (JSON.parse(data.slice(6)) as AdminStreamMessage);
        if (message && test(message)) return message;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the admin stream ended');
      buffer += value;
    }
  }
  return { next, close: () => controller.abort() };
}

/** Checks a device in through the client API, as an arm64 Mac. */
export async function checkInAs(
  portal: RunningPortal,
  licenseKey: string,
  deviceId = randomUUID(),
) {
  const res = await fetch(`${portal.url}/api/v1/checkin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      licenseKey,
      deviceId,
      hostname: 'mac-7.acme.test',
      arch: 'arm64',
      agentVersion: '1.0.0',
    }),
  });
  expect(res.status).toBe(200);
  return deviceId;
}
