import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';

/** A server on 127.0.0.1:0 that accepts connections and never answers: the worst portal. */
export interface BlackHole {
  readonly url: string;
  /** Resolves when the next connection arrives. */
  readonly nextConnection: () => Promise<void>;

  readonly close: () => Promise<void>;
}

/** Starts a black-hole server. */
export async function startBlackHole(): Promise<BlackHole> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    nextConnection: async () => void (await once(server, 'connection')),

    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
