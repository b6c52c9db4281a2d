import type { EventSourceLike } from '../../shared/web-contract-client.ts';

type Listener = (event: { readonly data: string }) => void;

/** A minimal EventSource for Node 20 (which has none): one connection, no reconnect. */
export class NodeEventSource implements EventSourceLike {
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #controller = new AbortController();
  /** Settles when the stream has ended (closed by either side). */
  readonly ended: Promise<void>;

  constructor(url: string) {
    this.ended = this.#read(url);
  }

  /** Adds a listener for messages whose `event:` field is `type`. */
  addEventListener(type: string, listener: Listener): void {
    const set = this.#listeners.get(type) ?? new Set();
    set.add(listener);
    this.#listeners.set(type, set);
  }

  /** Closes the connection. */
  close(): void {
    this.#controller.abort();
  }

  async #read(url: string): Promise<void> {
    try {
      const response = await fetch(url, {
        headers: { accept: 'text/event-stream' },
        signal: this.#controller.signal,
      });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          this.#dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Closed by close() or by the server: the stream simply ends.
    }
  }

  #dispatch(block: string): void {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    for (const listener of this.#listeners.get(type) ?? []) listener({ data: data.join('\n') });
  }
}
