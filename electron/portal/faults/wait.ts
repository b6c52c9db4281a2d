import type { Socket } from 'node:net';

/** Waits ms milliseconds, or less when the socket closes first; true when the time ran out. */
export function pause(ms: number, socket: Socket): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (elapsed: boolean): void => {
      clearTimeout(timer);
      socket.off('close', onClose);
      resolve(elapsed);
    };
    const onClose = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    socket.once('close', onClose);
  });
}

/** Waits until the promise settles or the socket closes; true when the promise came first. */
export function holdUntil(until: Promise<void>, socket: Socket): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => resolve(false);
    socket.once('close', onClose);
    void until.then(() => {
      socket.off('close', onClose);
      resolve(true);
    });
  });
}

/** Waits until the socket has handed every queued byte to the kernel. */
export async function flushed(socket: Socket): Promise<void> {
  while (!socket.destroyed && socket.writableLength > 0) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.once('drain', done);
      socket.once('close', done);
    });
  }
}

/** Waits until the body stream, the response and the socket have passed on every queued byte. */
export async function settled(
  carrier: { readonly readableLength: number } | undefined,
  res: { readonly writableLength: number },
  socket: Socket,
): Promise<void> {
  while (!socket.destroyed && ((carrier?.readableLength ?? 0) > 0 || res.writableLength > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await flushed(socket);
}
