import type { StreamState } from '../api/admin-stream.ts';

const STREAM_WORDS: Readonly<Record<StreamState, string>> = {
  connecting: 'Connecting to the portal…',
  live: 'Live',
  disconnected: 'Disconnected; trying again…',
};

/** Whether a page follows the admin stream, in words and as `data-state` for tests. */
export function LiveStatus({ state }: { readonly state: StreamState }) {
  return (
    <p className="live" data-state={state} role="status">
      {STREAM_WORDS[state]}
    </p>
  );
}
