import {
  PUSH_CHANNELS,
  type AppState,
  type ContractClient,
  type JobPhase,
  type PushChannel,
  type PushPayloads,
} from '../../shared/ipc-contract.ts';

type Message = { [C in PushChannel]: { channel: C; payload: PushPayloads[C] } }[PushChannel];

/** Everything pushed since the recorder started, and promises for messages to come. */
export interface PushRecorder {
  readonly messages: readonly Message[];
  /** Payloads of one channel, in order. */
  all<C extends PushChannel>(channel: C): PushPayloads[C][];
  /** The first payload (already recorded from index `since` on, or still to come) that matches. */
  until<C extends PushChannel>(
    channel: C,
    matches: (payload: PushPayloads[C]) => boolean,
    since?: number,
  ): Promise<PushPayloads[C]>;
  /** The first state whose job is in `phase` (from index `since` on); rejects on a failed job. */
  phase<P extends JobPhase['phase']>(phase: P, since?: number): Promise<AppState>;
  /** Stops recording. */
  stop(): void;
}

/** Records every push channel of a service or a client, from now on. */
export function recordPushes(source: Pick<ContractClient, 'subscribe'>): PushRecorder {
  const messages: Message[] = [];
  const waiters: { test: (message: Message) => boolean; resolve: (message: Message) => void }[] =
    [];
  const unsubscribes = PUSH_CHANNELS.map((channel) =>
    source.subscribe(channel, (payload) => {
      const message = { channel, payload } as Message;
      messages.push(message);
      for (const waiter of [...waiters]) {
        if (!waiter.test(message)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }),
  );
  const until: PushRecorder['until'] = (channel, matches, since = 0) => {
    const test = (message: Message) =>
      message.channel === channel && matches(message.payload as PushPayloads[typeof channel]);
    const found = messages.slice(since).find(test);
    if (found) return Promise.resolve(found.payload as PushPayloads[typeof channel]);
    return new Promise((resolve) =>
      waiters.push({ test, resolve: (m) => resolve(m.payload as PushPayloads[typeof channel]) }),
    );
  };
  return {
    messages,
    all: (channel) =>
      messages.filter((m) => m.channel === channel).map((m) => m.payload) as never[],
    until,
    phase: async (phase, since) => {
      const state = await until(
        'state:changed',
        (next) => next.job.phase === phase || next.job.phase === 'failed',
        since,
      );
      // A failure while waiting for another phase would otherwise only show as a timeout.
      if (state.job.phase !== phase) throw new Error(`Job failed: ${JSON.stringify(state.job)}`);
      return state;
    },
    stop: () => unsubscribes.forEach((unsubscribe) => unsubscribe()),
  };
}
