import { describe, expect, it } from 'vitest';
import type { AdminStreamMessage } from '../../../shared/admin-fleet.ts';
import { readEvents } from '../../../renderer/admin/api/admin-stream.ts';
import { someDevice } from './fake-portal.ts';

function chunked(parts: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

describe('readEvents', () => {
  it('hands over each server-sent message, also when it arrives split across chunks', async () => {
    const devices: AdminStreamMessage = { type: 'devices', devices: [someDevice()] };
    const event: AdminStreamMessage = {
      type: 'event',
      deviceId: 'dev-1',
      event: { type: 'invited' },
    };
    const text = `event: devices\ndata: ${JSON.stringify(devices)}\n\n: keep-alive\n\nevent: event\r\ndata: ${JSON.stringify(event)}\r\n\r\n`;
    const cut = Math.floor(text.length / 3);
    const messages: AdminStreamMessage[] = [];
    await readEvents(
      chunked([text.slice(0, cut), text.slice(cut, 2 * cut), text.slice(2 * cut)]),
      (m) => messages.push(m),
    );
    expect(messages).toEqual([devices, event]);
  });

  it('skips a message whose data is not JSON and goes on', async () => {
    const messages: AdminStreamMessage[] = [];
    const good: AdminStreamMessage = { type: 'devices', devices: [] };
    await readEvents(chunked([`data: {oops\n\ndata: ${JSON.stringify(good)}\n\n`]), (m) =>
      messages.push(m),
    );
    expect(messages).toEqual([good]);
  });
});
