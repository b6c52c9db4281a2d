import { once } from 'node:events';
import type { Server } from 'node:http';

/** Takes a listening server off its port and back on, for the `down` fault. */
export interface DownSwitch {
  /**
   * Goes down at once (closing every connection), or up again on the same port; the promise
   * settles when the server listens again.
   */
  set(down: boolean): Promise<void>;
}

/** A down switch for a server listening on host and port. */
export function downSwitch(server: Server, host: string, port: number): DownSwitch {
  let wanted = false;
  let isDown = false;
  let rising: Promise<void> | null = null;
  const goDown = (): void => {
    // Like a crashed service: no new connections, and the open ones are gone too.
    server.close();
    server.closeAllConnections();
    isDown = true;
  };
  const goUp = async (): Promise<void> => {
    server.listen({ host, port });
    await once(server, 'listening');
    isDown = false;
    rising = null;
    if (wanted) goDown();
  };
  return {
    set(down) {
      wanted = down;
      if (down && !isDown) goDown();
      if (!down && isDown) rising ??= goUp();
      return rising ?? Promise.resolve();
    },
  };
}
