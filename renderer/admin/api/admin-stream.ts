import type { AdminStreamMessage } from '../../../shared/admin-fleet.ts';
import type { AdminClient } from './admin-client.ts';

/** Whether the page is receiving the admin stream. */
export type StreamState = 'connecting' | 'live' | 'disconnected';

/** Starts listening; returns the function that stops. */
export type StreamSubscription = (
  onMessage: (message: AdminStreamMessage) => void,
  onState: (state: StreamState) => void,
) => () => void;

// A dropped stream (portal restart, network) is tried again after this pause.
const RECONNECT_MS = 2_000;

/**
 * The admin stream over fetch: EventSource cannot send the bearer token, so the server-sent
 * events are read and split here.
 */
export function adminStream(client: AdminClient): StreamSubscription {
  return (onMessage, onState) => {
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = async (): Promise<void> => {
      onState('connecting');
      try {
        const response = await client.stream('/stream', controller.signal);
        onState('live');
        await readEvents(response, onMessage);
      } catch {
        // Reported as disconnected below; a 401 has already sent the admin to the sign-in form.
      }
      if (controller.signal.aborted) return;
      onState('disconnected');
      retry = setTimeout(() => void connect(), RECONNECT_MS);
    };
    void connect();
    return () => {
      clearTimeout(retry);
      controller.abort();
    };
  };
}

/** Reads server-sent events from a response body and hands each parsed `data` to `onMessage`. */
export async function readEvents(
  response: Response,
  onMessage: (message: AdminStreamMessage) => void,
): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const message = dataOf(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (message) onMessage(message);
      end = buffer.indexOf('\n\n');
    }
  }
}

function dataOf(block: string): AdminStreamMessage | undefined {
  const data = block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  if (data === '') return undefined;
  try {
    return JSON.parse(data) as AdminStreamMessage;
  } catch {
    return undefined;
  }
}
