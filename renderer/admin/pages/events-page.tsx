import { useEffect, useMemo, useRef, useState } from 'react';
import type { FleetAnswer } from '../../../shared/admin-fleet.ts';
import { AGENT_EVENT_TYPES, type AgentEventType } from '../../../shared/protocol.ts';
import { formatDateTime } from '../../model/format.ts';
import type { AdminClient } from '../api/admin-client.ts';
import { adminStream, type StreamSubscription } from '../api/admin-stream.ts';
import type { GoldenImage } from '../api/admin-types.ts';
import { EVENT_WORDS } from '../api/fleet-words.ts';
import { ApiErrorNotice, useLoad } from '../components/api-error-notice.tsx';
import { SelectField } from '../../components/form-fields.tsx';
import { LongText } from '../components/long-text.tsx';
import { eventFacts } from './event-details.ts';

/** Props of the Events page. */
export interface EventsPageProps {
  readonly client: AdminClient;
  /** The admin stream; by default the portal's, read with the client's token. */
  readonly subscribe?: StreamSubscription;
}

/** An event as the portal stores it: the device, its type and time, and the details. */
interface StoredEvent {
  readonly id?: string;
  readonly deviceId: string;
  readonly type: string;
  readonly at: string;
  readonly [field: string]: unknown;
}

/** Events the page lists at most. */
const SHOWN = 200;

const TYPE_OPTIONS = [
  { value: '', label: 'All events' },
  ...AGENT_EVENT_TYPES.map((type) => ({ value: type, label: EVENT_WORDS[type] })),
];

function eventsQuery(deviceId: string, type: string): string {
  const query = new URLSearchParams({ limit: String(SHOWN) });
  if (deviceId) query.set('deviceId', deviceId);
  if (type) query.set('type', type);
  return query.toString();
}

/**
 * The agents' events, newest first: shown at once, narrowed by device and type as soon as one
 * is chosen, and kept current by the admin stream.
 */
export function EventsPage({ client, subscribe }: EventsPageProps) {
  const [deviceId, setDeviceId] = useState('');
  const [type, setType] = useState('');
  const [live, setLive] = useState<readonly StoredEvent[]>([]);
  const names = useLoad(async () => {
    const [devices, images] = await Promise.all([
      client.admin<FleetAnswer>('GET', '/devices'),
      client.admin<{ goldenImages: GoldenImage[] }>('GET', '/golden-images').catch(() => ({
        goldenImages: [] as GoldenImage[],
      })),
    ]);
    return { devices: devices.devices, images: images.goldenImages };
  });
  const query = eventsQuery(deviceId, type);
  const events = useLoad(async () => {
    const answer = await client.admin<{ events: StoredEvent[] }>('GET', `/events?${query}`);
    return { query, events: answer.events };
  });
  const { reload } = events;
  // A new filter loads its events at once; the live ones collected so far belong to the old one.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setLive([]);
    reload();
  }, [deviceId, type, reload]);
  const stream = useMemo(() => subscribe ?? adminStream(client), [client, subscribe]);
  useEffect(
    () =>
      stream(
        (message) => {
          if (message.type !== 'event') return;
          const event = { ...message.event, deviceId: message.deviceId } as StoredEvent;
          setLive((now) => [event, ...now].slice(0, SHOWN));
        },
        () => undefined,
      ),
    [stream],
  );

  const hostname = (id: string): string =>
    names.data?.devices.find((d) => d.deviceId === id)?.hostname ?? `${id.slice(0, 8)}…`;
  const imageName = (id: string): string =>
    names.data?.images.find((image) => image.id === id)?.name ?? id;
  const matches = (event: StoredEvent): boolean =>
    (deviceId === '' || event.deviceId === deviceId) && (type === '' || event.type === type);
  // Until a new filter's events arrive, the old filter's stay only where they match the new one.
  const loaded = [...(events.data?.events ?? [])].reverse().filter(matches);
  const current = events.data?.query === query;
  const seen = new Set(loaded.map((event) => event.id));
  const shown = [...live.filter((e) => matches(e) && !seen.has(e.id)), ...loaded].slice(0, SHOWN);
  const deviceOptions = [
    { value: '', label: 'All devices' },
    ...(names.data?.devices ?? []).map((d) => ({ value: d.deviceId, label: d.hostname })),
  ];

  return (
    <>
      <div className="filters" role="group" aria-label="Event filters">
        <SelectField
          label="Device"
          value={deviceId}
          options={deviceOptions}
          onChange={setDeviceId}
        />
        <SelectField label="Event" value={type} options={TYPE_OPTIONS} onChange={setType} />
      </div>
      <ApiErrorNotice error={names.error ?? events.error} />
      {current && shown.length === 0 && (
        <p className="empty">
          {deviceId || type
            ? 'No events match these filters.'
            : 'No events yet. Macs report theirs as they check in and download.'}
        </p>
      )}
      {shown.length > 0 && (
        <table className="admin-table events-table" aria-label="Events">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Device</th>
              <th scope="col">Event</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((event, index) => (
              <tr key={event.id ?? `${event.at}-${index}`} data-type={event.type}>
                <td>{formatDateTime(event.at)}</td>
                <td>{hostname(event.deviceId)}</td>
                <td>{EVENT_WORDS[event.type as AgentEventType] ?? event.type}</td>
                <td className="details">
                  <EventDetails event={event} imageName={imageName} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function EventDetails(props: {
  readonly event: StoredEvent;
  readonly imageName: (id: string) => string;
}) {
  const facts = eventFacts(props.event, props.imageName);
  if (facts.length === 0) return null;
  return (
    <dl className="event-facts">
      {facts.map((fact) => (
        <div key={fact.label} className="event-fact">
          <dt>{fact.label}</dt>
          <dd title={fact.full}>
            <LongText text={fact.value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
