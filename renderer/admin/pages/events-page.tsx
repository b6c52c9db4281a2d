import { useState } from 'react';
import { SelectField } from '../../components/form-fields.tsx';
import type { FleetAnswer } from '../../../shared/admin-fleet.ts';
import { AGENT_EVENT_TYPES } from '../../../shared/protocol.ts';
import { formatDateTime } from '../../model/format.ts';
import type { AdminClient } from '../api/admin-client.ts';
import { ApiErrorNotice, useLoad } from '../components/api-error-notice.tsx';

/** Props of the Events page. */
export interface EventsPageProps {
  readonly client: AdminClient;
}

/** An event as the portal stores it: the device, its type and time, and the details. */
interface StoredEvent {
  readonly deviceId: string;
  readonly type: string;
  readonly at: string;
  readonly [field: string]: unknown;
}

const TYPE_OPTIONS = [
  { value: '', label: 'All types' },
  ...AGENT_EVENT_TYPES.map((type) => ({ value: type, label: type })),
];

/** The agents' events, newest last, filtered by device and by type. */
export function EventsPage({ client }: EventsPageProps) {
  const [deviceId, setDeviceId] = useState('');
  const [type, setType] = useState('');
  const devices = useLoad(() => client.admin<FleetAnswer>('GET', '/devices'));
  const events = useLoad(() => {
    const query = new URLSearchParams({ limit: '200' });
    if (deviceId) query.set('deviceId', deviceId);
    if (type) query.set('type', type);
    return client.admin<{ events: StoredEvent[] }>('GET', `/events?${query.toString()}`);
  });
  const hostname = (id: string): string =>
    devices.data?.devices.find((d) => d.deviceId === id)?.hostname ?? id;
  const deviceOptions = [
    { value: '', label: 'All devices' },
    ...(devices.data?.devices ?? []).map((d) => ({ value: d.deviceId, label: d.hostname })),
  ];

  return (
    <>
      <form
        className="filters"
        aria-label="Event filters"
        onSubmit={(event) => {
          event.preventDefault();
          events.reload();
        }}
      >
        <SelectField
          label="Device"
          value={deviceId}
          options={deviceOptions}
          onChange={setDeviceId}
        />
        <SelectField label="Type" value={type} options={TYPE_OPTIONS} onChange={setType} />
        <button type="submit" className="primary">
          Show events
        </button>
      </form>
      <ApiErrorNotice error={devices.error ?? events.error} />
      {events.data?.events.length === 0 && <p className="empty">No events match.</p>}
      {events.data && events.data.events.length > 0 && (
        <table className="admin-table" aria-label="Events">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Device</th>
              <th scope="col">Type</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.data.events.map((event, index) => {
              const { deviceId: id, type: kind, at, ...details } = event;
              return (
                <tr key={`${at}-${index}`}>
                  <td>{formatDateTime(at)}</td>
                  <td>{hostname(id)}</td>
                  <td className="mono">{kind}</td>
                  <td className="mono details">
                    {Object.keys(details).length > 0 ? JSON.stringify(details) : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
