import { useEffect, useMemo, useState } from 'react';
import type { FleetAnswer, RetrievalAnswer, RetrievalState } from '../../../shared/admin-fleet.ts';
import { matchFleet, type FleetFilter } from '../../../shared/admin-fleet-filter.ts';
import type { AdminClient } from '../api/admin-client.ts';
import { adminStream, type StreamState, type StreamSubscription } from '../api/admin-stream.ts';
import type { GoldenImage, UserGroup } from '../api/admin-types.ts';
import type { AdminFleetDevice } from '../api/fleet-words.ts';
import { ApiErrorNotice, toApiError, useAction, useLoad } from '../components/api-error-notice.tsx';
import { LiveStatus } from '../components/live-status.tsx';
import { FleetFilters } from './fleet-filters.tsx';
import { FleetPager } from './fleet-pager.tsx';
import { FleetTable } from './fleet-table.tsx';

/** Props of the Virtual Machines page. */
export interface FleetPageProps {
  readonly client: AdminClient;
  /** The admin stream; by default the portal's, read with the client's token. */
  readonly subscribe?: StreamSubscription;
}

/** Rows per page of the device table. */
export const FLEET_PAGE_SIZE = 50;

/**
 * The fleet: every Mac that checked in, kept current by the admin stream; counts per phase,
 * filters, and one page of rows at a time, so a fleet of thousands stays quick to draw.
 */
export function FleetPage({ client, subscribe }: FleetPageProps) {
  const [devices, setDevices] = useState<readonly AdminFleetDevice[] | null>(null);
  const names = useNames(client);
  const [streamState, setStreamState] = useState<StreamState>('connecting');
  const [selected, setSelected] = useState<readonly string[]>([]);
  const [asked, setAsked] = useState<ReadonlyMap<string, RetrievalState>>(new Map());
  const retrieving = useAction();
  const [loadError, setLoadError] = useState<ReturnType<typeof toApiError> | null>(null);
  const stream = useMemo(() => subscribe ?? adminStream(client), [client, subscribe]);
  const [filter, setFilter] = useState<FleetFilter>({});
  const [offset, setOffset] = useState(0);
  const match = useMemo(() => matchFleet(devices ?? [], filter), [devices, filter]);
  // A list that shrank under the page (a narrower filter, fewer Macs) shows its last page.
  const start = Math.min(
    offset,
    Math.max(0, Math.ceil(match.devices.length / FLEET_PAGE_SIZE) - 1) * FLEET_PAGE_SIZE,
  );
  const page = match.devices.slice(start, start + FLEET_PAGE_SIZE);

  useEffect(() => {
    let current = true;
    client.admin<FleetAnswer>('GET', '/devices').then(
      // The stream may already have told something newer: the first answer only fills a gap.
      (answer) => current && setDevices((now) => now ?? answer.devices),
      (failure: unknown) => current && setLoadError(toApiError(failure)),
    );
    const stop = stream((message) => {
      if (message.type === 'devices') setDevices(message.devices);
    }, setStreamState);
    return () => {
      current = false;
      stop();
    };
  }, [client, stream]);

  const requestRetrieval = (): void => {
    const deviceIds = [...selected];
    void retrieving.run(async () => {
      const answer = await client.admin<RetrievalAnswer>('POST', '/devices/retrieve-policy', {
        deviceIds,
      });
      setAsked(new Map(answer.results.map((r) => [r.deviceId, r.state])));
    });
  };

  return (
    <>
      <LiveStatus state={streamState} />
      <ApiErrorNotice error={loadError} />
      {devices?.length === 0 && (
        <p className="empty">
          No Mac has checked in yet. Devices appear here at their first check-in.
        </p>
      )}
      {devices && devices.length > 0 && (
        <FleetFilters
          devices={devices}
          counts={match.phaseCounts}
          filter={filter}
          onChange={(next) => {
            setFilter(next);
            setOffset(0);
          }}
          {...names}
        />
      )}
      {devices && devices.length > 0 && (
        <FleetTable
          devices={page}
          selected={selected}
          onSelect={setSelected}
          retrievalOf={(device) => device.retrieval?.state ?? asked.get(device.deviceId) ?? null}
          {...names}
        />
      )}
      {devices && devices.length > 0 && (
        <FleetPager
          offset={start}
          pageSize={FLEET_PAGE_SIZE}
          total={match.devices.length}
          onOffset={setOffset}
        />
      )}
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={selected.length === 0}
          aria-disabled={retrieving.busy || undefined}
          onClick={requestRetrieval}
        >
          Request policy retrieval
        </button>
        <span className="hint">
          {selected.length === 0
            ? 'Select the Macs that should fetch their policy now.'
            : `${selected.length} selected`}
        </span>
      </div>
      <ApiErrorNotice error={retrieving.error} />
    </>
  );
}

// The groups' and golden images' names, so that rows say "Finance", not "finance"; ids until then.
function useNames(client: AdminClient) {
  const loaded = useLoad(async () => {
    const [groups, images] = await Promise.all([
      client.admin<{ userGroups: UserGroup[] }>('GET', '/user-groups'),
      client.admin<{ goldenImages: GoldenImage[] }>('GET', '/golden-images'),
    ]);
    return { groups: groups.userGroups, images: images.goldenImages };
  });
  return {
    groupName: (id: string): string =>
      id === 'primary'
        ? 'Primary license key'
        : (loaded.data?.groups.find((g) => g.id === id)?.name ?? id),
    imageName: (id: string): string => loaded.data?.images.find((i) => i.id === id)?.name ?? id,
  };
}
