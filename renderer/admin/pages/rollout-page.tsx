import { useEffect, useMemo, useState } from 'react';
import type { RolloutsAnswer, RolloutSummary } from '../../../shared/admin-rollout.ts';
import type { AdminClient } from '../api/admin-client.ts';
import { adminStream, type StreamState, type StreamSubscription } from '../api/admin-stream.ts';
import { ApiErrorNotice, toApiError } from '../components/api-error-notice.tsx';
import { LiveStatus } from '../components/live-status.tsx';
import { RolloutCard } from './rollout-card.tsx';

/** Props of the Rollout page. */
export interface RolloutPageProps {
  readonly client: AdminClient;
  /** The admin stream; by default the portal's, read with the client's token. */
  readonly subscribe?: StreamSubscription;
}

/** Per golden image, where the offered Macs stand, kept current by the admin stream. */
export function RolloutPage({ client, subscribe }: RolloutPageProps) {
  const [rollouts, setRollouts] = useState<readonly RolloutSummary[] | null>(null);
  const [streamState, setStreamState] = useState<StreamState>('connecting');
  const [loadError, setLoadError] = useState<ReturnType<typeof toApiError> | null>(null);
  const stream = useMemo(() => subscribe ?? adminStream(client), [client, subscribe]);

  useEffect(() => {
    let current = true;
    client.admin<RolloutsAnswer>('GET', '/rollouts').then(
      // The stream may already have told something newer: the first answer only fills a gap.
      (answer) => current && setRollouts((now) => now ?? answer.rollouts),
      (failure: unknown) => current && setLoadError(toApiError(failure)),
    );
    const stop = stream((message) => {
      if (message.type === 'rollouts') setRollouts(message.rollouts);
    }, setStreamState);
    return () => {
      current = false;
      stop();
    };
  }, [client, stream]);

  return (
    <>
      <p className="hint">
        Each golden image as the Macs meet it: offered, then accepted or declined, then downloading,
        installing, and registered or failed. A Mac that failed and then registered counts as
        registered.
      </p>
      <LiveStatus state={streamState} />
      <ApiErrorNotice error={loadError} />
      {rollouts?.length === 0 && (
        <p className="empty">
          No golden images yet. Create one on the Golden Images page; its rollout appears here.
        </p>
      )}
      <ul className="cards rollout-cards" aria-label="Rollouts">
        {rollouts?.map((rollout) => (
          <RolloutCard key={rollout.goldenImageId} rollout={rollout} />
        ))}
      </ul>
    </>
  );
}
