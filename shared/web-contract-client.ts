import { ERROR_SENTENCES, isErrorCode } from './codes.ts';
import {
  PUSH_CHANNELS,
  type ContractClient,
  type InvokeChannel,
  type InvokeResults,
  type PayloadArgs,
  type PushChannel,
  type PushPayloads,
  type Result,
} from './ipc-contract.ts';

/** The parts of a fetch response the client reads. */
export interface FetchResponseLike {
  json(): Promise<unknown>;
}

/** A fetch function: the browser's, Node's, or a test's. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
) => Promise<FetchResponseLike>;

/** The parts of an EventSource the client uses. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { readonly data: string }) => void): void;
  close(): void;
}

/** An EventSource constructor: the browser's, or a test's. */
export type EventSourceFactory = new (url: string) => EventSourceLike;

/** What the web client needs: the host's address and token, and fetch and EventSource. */
export interface WebContractClientOptions {
  /** The web host's address; '' (the default) means the page's own origin. */
  readonly baseUrl?: string;
  /** The access token the web host printed in its address; sent with every call. */
  readonly token: string;
  readonly fetch: FetchLike;
  readonly EventSource: EventSourceFactory;
}

/** The contract over HTTP and server-sent events. */
export interface WebContractClient extends ContractClient {
  /** Closes the event stream; subscriptions end. */
  close(): void;
}

type Listener = (payload: unknown) => void;

/** A contract client that invokes with `POST /api/invoke/<channel>` and listens on `/api/events`. */
export function createWebContractClient(options: WebContractClientOptions): WebContractClient {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const listeners = new Map<PushChannel, Set<Listener>>(PUSH_CHANNELS.map((c) => [c, new Set()]));
  let source: EventSourceLike | undefined;
  const authorization = `Bearer ${options.token}`;

  const open = (): void => {
    if (source) return;
    // EventSource cannot send headers: the stream alone takes the token in its query (see the
    // web host's access-token.ts for why not a cookie).
    const opened = new options.EventSource(
      `${base}/api/events?token=${encodeURIComponent(options.token)}`,
    );
    for (const channel of PUSH_CHANNELS) {
      opened.addEventListener(channel, (event) => {
        let payload: unknown;
        try {
          payload = JSON.parse(event.data);
        } catch {
          return;
        }
        for (const listener of [...listeners.get(channel)!]) listener(payload);
      });
    }
    source = opened;
  };

  return {
    async invoke<C extends InvokeChannel>(
      channel: C,
      ...args: PayloadArgs<C>
    ): Promise<Result<InvokeResults[C]>> {
      let body: unknown;
      try {
        const response = await options.fetch(`${base}/api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            authorization,
          },
          body: JSON.stringify(args[0] ?? {}),
        });
        body = await response.json();
      } catch {
        return unreachable();
      }
      return isResult(body) ? (body as Result<InvokeResults[C]>) : unreachable();
    },
    subscribe<C extends PushChannel>(channel: C, listener: (payload: PushPayloads[C]) => void) {
      const set = listeners.get(channel);
      if (!set) throw new TypeError(`Unknown push channel: ${String(channel)}`);
      const entry = listener as Listener;
      set.add(entry);
      open();
      return () => void set.delete(entry);
    },
    close() {
      source?.close();
      source = undefined;
    },
  };
}

function isResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { ok, error } = value as { ok?: unknown; error?: { code?: unknown } };
  return ok === true || (ok === false && isErrorCode(error?.code));
}

function unreachable(): Result<never> {
  return {
    ok: false,
    error: { code: 'HOST_UNREACHABLE', message: ERROR_SENTENCES.HOST_UNREACHABLE, retryable: true },
  };
}
