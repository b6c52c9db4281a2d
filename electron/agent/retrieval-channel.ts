import { setTimeout as delay } from 'node:timers/promises';
import type { PortalCommand } from '../../shared/protocol.ts';
import type { PortalClient } from './portal-client.ts';

/** Whom the channel polls as: the portal client, the device and its license key. */
export interface RetrievalTarget {
  readonly client: PortalClient;
  readonly deviceId: string;
  readonly licenseKey: string;
}

/** Options of a RetrievalChannel. */
export interface RetrievalChannelOptions {
  /** The current target; read before every poll, so that a changed portal or key is followed. */
  readonly target: () => RetrievalTarget | Promise<RetrievalTarget>;
  /** Checks in at once; the channel acknowledges the command after it, whatever it gave. */
  readonly retrieve: () => Promise<void>;
  /** Told after each command was carried out and acknowledged. */
  readonly onCommand?: (command: PortalCommand) => void;
  /** Told about each failed poll or ack; the channel waits, then polls again. */
  readonly onError?: (error: unknown) => void;
  /** Wait after the first failure; doubles up to maxRetryDelayMs. 1 s by default. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

/**
 * The agent's lightweight channel to the portal: a long-poll that is always open, so that a
 * "Request policy retrieval" reaches the Mac in seconds instead of at the next scheduled check-in.
 */
export class RetrievalChannel {
  readonly #options: RetrievalChannelOptions;
  #controller: AbortController | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: RetrievalChannelOptions) {
    const { retryDelayMs, maxRetryDelayMs } = options;
    if (retryDelayMs !== undefined && !(retryDelayMs >= 0)) {
      throw new TypeError('retryDelayMs must be a number of milliseconds, 0 or more');
    }
    if (maxRetryDelayMs !== undefined && !(maxRetryDelayMs >= (retryDelayMs ?? 0))) {
      throw new TypeError('maxRetryDelayMs must be at least retryDelayMs');
    }
    this.#options = options;
  }

  /** Whether the channel is running. */
  get started(): boolean {
    return this.#controller !== undefined;
  }

  /** Starts polling (no-op when started). */
  start(): void {
    if (this.#controller) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#loop = this.#run(controller.signal);
  }

  /** Hangs up the open poll and waits for the loop to end. */
  async stop(): Promise<void> {
    this.#controller?.abort();
    this.#controller = undefined;
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(signal: AbortSignal): Promise<void> {
    const first = this.#options.retryDelayMs ?? 1_000;
    const max = this.#options.maxRetryDelayMs ?? 60_000;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const { client, deviceId, licenseKey } = await this.#options.target();
        const command = await client.pollCommand(deviceId, licenseKey, signal);
        failures = 0;
        if (!command || signal.aborted) continue;
        await this.#options.retrieve();
        await client.ackCommand(deviceId, command.id, licenseKey, signal);
        this.#options.onCommand?.(command);
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
        this.#tell(error);
        // A portal that is down or refuses the key must not be hammered: back off.
        const wait = Math.min(first * 2 ** Math.min(failures - 1, 20), max);
        await delay(wait, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  #tell(error: unknown): void {
    try {
      this.#options.onError?.(error);
    } catch {
      // A failing error handler must not end the channel.
    }
  }
}
