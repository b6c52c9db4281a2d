import type { FastifyInstance } from 'fastify';
import { PUSH_CHANNELS, type PushChannel, type PushPayloads } from '../../shared/ipc-contract.ts';
import type { AppService } from '../app/app-service.ts';

/** Path of the server-sent events stream. */
export const EVENTS_PATH = '/api/events';

// Proxies and idle timers close silent connections; a comment line now and then keeps it open.
const KEEP_ALIVE_MS = 15_000;

/** The push channels as one server-sent events stream; each message's `event:` names its channel. */
export function registerEventStream(app: FastifyInstance, service: AppService): void {
  app.get(EVENTS_PATH, (_request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    const write = (text: string) => {
      if (!res.destroyed && !res.writableEnded) res.write(text);
    };
    const send = <C extends PushChannel>(channel: C, payload: PushPayloads[C]) =>
      write(`event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`);
    // A window that went away mid-write is not an error of the host: the close below cleans up.
    res.on('error', () => undefined);
    // The current state first: a window that (re)connects starts from the truth, not a gap.
    send('state:changed', service.state());
    const unsubscribes = PUSH_CHANNELS.map((channel) =>
      service.subscribe(channel, (payload) => send(channel, payload)),
    );
    const keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    res.once('close', () => {
      clearInterval(keepAlive);
      for (const unsubscribe of unsubscribes) unsubscribe();
    });
  });
}
