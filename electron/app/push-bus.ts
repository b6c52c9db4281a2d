import { PUSH_CHANNELS, type PushChannel, type PushPayloads } from '../../shared/ipc-contract.ts';

type Listener<C extends PushChannel> = (payload: PushPayloads[C]) => void;

/** Typed listeners per push channel; a failing listener never stops the others. */
export class PushBus {
  readonly #listeners = new Map<PushChannel, Set<Listener<PushChannel>>>(
    PUSH_CHANNELS.map((channel) => [channel, new Set()]),
  );
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => undefined) {
    this.#onListenerError = onListenerError;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe<C extends PushChannel>(channel: C, listener: Listener<C>): () => void {
    const set = this.#listeners.get(channel);
    if (!set) throw new TypeError(`Unknown push channel: ${String(channel)}`);
    const entry = listener as Listener<PushChannel>;
    set.add(entry);
    return () => void set.delete(entry);
  }

  /** Sends a payload to every listener of the channel. */
  emit<C extends PushChannel>(channel: C, payload: PushPayloads[C]): void {
    for (const listener of [...(this.#listeners.get(channel) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
