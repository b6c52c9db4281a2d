import type { AgentEvent, AgentEventType } from '../../shared/agent-events.ts';
import type { ActivityEntry } from '../../shared/ipc-contract.ts';
import { formatDateTime } from '../model/format.ts';

const EVENT_LABELS: Readonly<Record<AgentEventType, string>> = {
  'checked-in': 'Checked in with the portal',
  invited: 'Invited to download a corporate VM',
  accepted: 'Invitation accepted',
  declined: 'Invitation declined',
  'download-started': 'Download started',
  'download-progress': 'Download progress',
  'download-resumed': 'Download resumed',
  'download-redirected': 'Download redirected',
  'download-restarted': 'Download restarted from the beginning',
  'download-retrying': 'Download retrying',
  'download-finished': 'Download finished',
  'download-failed': 'Download failed',
  verified: 'Checksum verified',
  'verify-failed': 'Checksum did not match',
  unpacked: 'Image unpacked',
  registered: 'VM registered',
  'install-failed': 'Installation failed',
  'vm-created': 'VM created from scratch',
};

const DELIVERY_LABELS: Readonly<Record<ActivityEntry['delivery'], string>> = {
  pending: 'Waiting to be sent',
  delivered: 'Sent to the portal',
};

/** An event's most telling field: the image or VM it names, or the error it ended with. */
function eventDetail(event: AgentEvent): string {
  return 'name' in event ? event.name : 'error' in event ? event.error.code : '';
}

/** Props of the Activity view. */
export interface ActivityViewProps {
  readonly entries: readonly ActivityEntry[];
}

/** The agent's events, each with whether the portal has it yet. */
export function ActivityView({ entries }: ActivityViewProps) {
  if (entries.length === 0) {
    return (
      <p className="empty">Nothing has happened yet. Events appear here as the agent works.</p>
    );
  }
  const pending = entries.filter((entry) => entry.delivery === 'pending').length;
  return (
    <>
      <p className="hint">
        {pending === 0
          ? 'The portal has every event.'
          : `${pending} ${pending === 1 ? 'event waits' : 'events wait'} to be sent; they go out at the next successful contact.`}
      </p>
      <table className="activity-table">
        <caption className="visually-hidden">Agent events</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Details</th>
            <th scope="col">Delivery</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(({ event, delivery }) => (
            <tr key={event.id} data-delivery={delivery}>
              <td>
                <time dateTime={event.at}>{formatDateTime(event.at)}</time>
              </td>
              <th scope="row">{EVENT_LABELS[event.type]}</th>
              <td>{eventDetail(event)}</td>
              <td>
                <span className={`delivery delivery-${delivery}`}>{DELIVERY_LABELS[delivery]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
