import type { ServerResponse } from 'node:http';
import type { AdminStreamMessage, FleetDevice } from '../../../shared/admin-fleet.ts';

/** How often the whole device list may go out, at most: about four times a second. */
export const DEVICES_THROTTLE_MS = 250;

// Proxies and idle timers close silent connections; a comment line now and then keeps it open.
const KEEP_ALIVE_MS = 15_000;

/** How often the device list is looked at again for changes time alone makes (a Mac going offline). */
export const DEVICES_REFRESH_MS = 15_000;

/** The admin stream's listeners: each gets every message as a server-sent event. */
export class AdminStream {
  readonly #clients = new Set<ServerResponse>();
  readonly #devices: () => readonly FleetDevice[];
  readonly #throttleMs: number;
  readonly #refreshMs: number;
  #refresh: ReturnType<typeof setInterval> | undefined;
  #lastDevices = '';
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    devices: () => readonly FleetDevice[],
    throttleMs = DEVICES_THROTTLE_MS,
    refreshMs = DEVICES_REFRESH_MS,
  ) {
    this.#devices = devices;
    this.#throttleMs = throttleMs;
    this.#refreshMs = refreshMs;
  }

  /** Turns a response into a stream: headers, the current devices, then every message. */
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
    this.#refresh ??= setInterval(() => this.devicesChanged(), this.#refreshMs);
    this.#refresh.unref();
    // The current state first: a page that (re)connects starts from the truth, not a gap.
    write(res, { type: 'devices', devices: this.#devices() });
    const keepAlive = setInterval(() => writeText(res, ': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    res.once('close', () => {
      clearInterval(keepAlive);
      this.#clients.delete(res);
      if (this.#clients.size > 0) return;
      this.#stopRefresh();
      // Changes go unseen while no one listens: the next listener's first change must go out.
      this.#lastDevices = '';
    });
  }

  /** Sends a message to every listener at once. */
  send(message: AdminStreamMessage): void {
    for (const res of this.#clients) write(res, message);
  }

  /** Sends the device list soon: at most once per throttle period, and only when it changed. */
  devicesChanged(): void {
    // Nobody listens: building the list for no one would cost a fleet's worth of work each time.
    if (this.#timer || this.#clients.size === 0) return;
    const wait = Math.max(0, this.#lastSentAt + this.#throttleMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#lastSentAt = Date.now();
      const devices = this.#devices();
      const text = JSON.stringify(devices);
      if (text === this.#lastDevices) return;
      this.#lastDevices = text;
      this.send({ type: 'devices', devices });
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
