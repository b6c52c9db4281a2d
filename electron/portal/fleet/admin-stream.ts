import type { ServerResponse } from 'node:http';
import type { AdminStreamMessage } from '../../../shared/admin-fleet.ts';

/** How often the whole device list (and the rollouts) may go out, at most: about four a second. */
export const DEVICES_THROTTLE_MS = 250;

// Proxies and idle timers close silent connections; a comment line now and then keeps it open.
const KEEP_ALIVE_MS = 15_000;

/** How often the device list is looked at again for changes time alone makes (a Mac going offline). */
export const DEVICES_REFRESH_MS = 15_000;

/** A whole view the stream sends when it changed: the device list, the rollouts. */
export type StreamSnapshot = () => AdminStreamMessage;

/** The admin stream's listeners: each gets every message as a server-sent event. */
export class AdminStream {
  readonly #clients = new Set<ServerResponse>();
  readonly #snapshots: readonly StreamSnapshot[];
  readonly #throttleMs: number;
  readonly #refreshMs: number;
  #refresh: ReturnType<typeof setInterval> | undefined;
  // The text last sent of each snapshot, by message type.
  readonly #lastSent = new Map<string, string>();
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    snapshots: readonly StreamSnapshot[],
    throttleMs = DEVICES_THROTTLE_MS,
    refreshMs = DEVICES_REFRESH_MS,
  ) {
    this.#snapshots = snapshots;
    this.#throttleMs = throttleMs;
    this.#refreshMs = refreshMs;
  }

  /** Turns a response into a stream: headers, the current snapshots, then every message. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    // An admin page that went away mid-write is not an error: the close below cleans up.
    res.on('error', () => undefined);
    this.#clients.add(res);
    // Nothing reports a Mac going quiet: while someone watches, the list is checked now and then.
    this.#refresh ??= setInterval(() => this.changed(), this.#refreshMs);
    this.#refresh.unref();
    // The current state first: a page that (re)connects starts from the truth, not a gap.
    for (const snapshot of this.#snapshots) write(res, snapshot());
    const keepAlive = setInterval(() => writeText(res, ': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    res.once('close', () => {
      clearInterval(keepAlive);
      this.#clients.delete(res);
      if (this.#clients.size > 0) return;
      this.#stopRefresh();
      // Changes go unseen while no one listens: the next listener's first change must go out.
      this.#lastSent.clear();
    });
  }

  /** Sends a message to every listener at once. */
  send(message: AdminStreamMessage): void {
    for (const res of this.#clients) write(res, message);
  }

  /** Sends the snapshots soon: at most once per throttle period, each only when it changed. */
  changed(): void {
    // Nobody listens: building the list for no one would cost a fleet's worth of work each time.
    if (this.#timer || this.#clients.size === 0) return;
    const wait = Math.max(0, this.#lastSentAt + this.#throttleMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#lastSentAt = Date.now();
      for (const snapshot of this.#snapshots) {
        const message = snapshot();
        const text = JSON.stringify(message);
        if (text === this.#lastSent.get(message.type)) continue;
        this.#lastSent.set(message.type, text);
        this.send(message);
      }
    }, wait);
    this.#timer.unref();
  }

  /** Ends every stream and the pending send (the portal is closing). */
  close(): void {
    this.#stopRefresh();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #stopRefresh(): void {
    clearInterval(this.#refresh);
    this.#refresh = undefined;
  }
}

function write(res: ServerResponse, message: AdminStreamMessage): void {
  writeText(res, `event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
}

function writeText(res: ServerResponse, text: string): void {
  if (!res.destroyed && !res.writableEnded) res.write(text);
}
