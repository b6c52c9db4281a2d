import { assertNever } from '../../shared/assert-never.ts';
import type { AgentEvent, AgentEventType } from '../../shared/agent-events.ts';
import { PAUSED_ACTIVITY_CODE, type ActivityEntry } from '../../shared/ipc-contract.ts';
import { formatBytes, formatDateTime, formatTransferred } from '../model/format.ts';

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
  'update-offered': 'Offered an update of a corporate VM',
  'update-accepted': 'Update accepted',
  'update-declined': 'Update postponed',
  updated: 'VM updated',
};

const DELIVERY_LABELS: Readonly<Record<ActivityEntry['delivery'], string>> = {
  pending: 'Waiting to be sent',
  delivered: 'Sent to the portal',
};

/** What the row calls an event: a stopped download says whether it was paused or cancelled. */
function eventLabel(event: AgentEvent): string {
  if (event.type !== 'download-failed') return EVENT_LABELS[event.type];
  if (event.error.code === PAUSED_ACTIVITY_CODE) return 'Download paused';
  if (event.error.code === 'CANCELLED') return 'Download cancelled';
  return EVENT_LABELS[event.type];
}

/** An event's most telling facts, in a few words. */
function eventDetail(event: AgentEvent): string {
  switch (event.type) {
    case 'checked-in':
      return `Policy revision ${event.policyRevision}`;
    case 'invited':
    case 'registered':
    case 'vm-created':
      return event.name;
    case 'accepted':
    case 'declined':
      return '';
    case 'download-started':
      return event.offset > 0
        ? `From ${formatBytes(event.offset)}`
        : event.total === undefined
          ? ''
          : formatBytes(event.total);
    case 'download-progress':
      return formatTransferred({ transferred: event.transferred, total: event.total ?? null });
    case 'download-resumed':
      return `From ${formatBytes(event.offset)}`;
    case 'download-redirected':
      return event.hostChanged ? 'To another server' : 'On the same server';
    case 'download-restarted':
      return event.reason;
    case 'download-retrying':
      return `Attempt ${event.attempt}: ${event.error.code}`;
    case 'download-finished':
      return formatBytes(event.bytes);
    case 'download-failed':
      if (event.error.code === PAUSED_ACTIVITY_CODE) return 'What arrived is kept for Resume';
      if (event.error.code === 'CANCELLED') return 'Stopped before it finished';
      return event.error.code;
    case 'verified':
      return `SHA-256 ${event.sha256.slice(0, 12)}…`;
    case 'verify-failed':
    case 'install-failed':
      return event.error.code;
    case 'update-offered':
      return event.sizeBytes === undefined
        ? event.name
        : `${event.name}, ${formatBytes(event.sizeBytes)}`;
    case 'update-accepted':
      return event.choice === 'replace' ? 'Replace the previous VM' : 'Keep both VMs';
    case 'update-declined':
      return 'The previous VM is kept as it is';
    case 'updated':
      return event.previousRemoved
        ? `${event.name}; the previous VM was removed`
        : `${event.name}; the previous VM is kept`;
    case 'unpacked':
      return `${event.entries} ${event.entries === 1 ? 'file' : 'files'}, ${formatBytes(event.unpackedBytes)}`;
    default:
      return assertNever(event);
  }
}

/** One row of the view: an entry, or a run of progress reports folded into their latest. */
interface ActivityRow {
  readonly key: string;
  readonly entry: ActivityEntry;
}

/** The rows to show: consecutive progress reports of one download make one row that updates. */
export function activityRows(entries: readonly ActivityEntry[]): ActivityRow[] {
  const rows: ActivityRow[] = [];
  for (const entry of entries) {
    const last = rows.at(-1);
    const { event } = entry;
    if (
      last &&
      event.type === 'download-progress' &&
      last.entry.event.type === 'download-progress' &&
      last.entry.event.goldenImageId === event.goldenImageId
    ) {
      // Keyed by the run's first report, so the row stays in place as it updates.
      rows[rows.length - 1] = { key: last.key, entry };
    } else {
      rows.push({ key: event.id, entry });
    }
  }
  return rows;
}

function pendingText(pending: number): string {
  if (pending === 0) return 'All events sent to the portal.';
  const events = pending === 1 ? '1 event' : `${pending} events`;
  return `${events} waiting to be sent; they go out at the next contact with the portal.`;
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
      <p className="hint">{pendingText(pending)}</p>
      {/* Focusable, so the keyboard can scroll a long list (it scrolls inside itself). */}
      <div className="table-scroll" role="region" aria-label="Agent events" tabIndex={0}>
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
            {activityRows(entries).map(({ key, entry: { event, delivery } }) => (
              <tr key={key} data-delivery={delivery}>
                <td>
                  <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                </td>
                <th scope="row">{eventLabel(event)}</th>
                <td>{eventDetail(event)}</td>
                <td>
                  <span className={`delivery delivery-${delivery}`}>
                    {DELIVERY_LABELS[delivery]}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
