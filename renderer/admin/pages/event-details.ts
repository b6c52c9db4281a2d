import { formatBytes } from '../../model/format.ts';

/** One fact of an event, as the Events page shows it: "Downloaded: 1.2 GB". */
export interface EventFact {
  readonly label: string;
  readonly value: string;
  /** A shortened id or checksum: the whole value for the tooltip. */
  readonly full?: string;
}

// Fields every event has, shown in their own columns or not at all.
const SKIPPED = new Set(['id', 'at', 'type', 'deviceId', 'receivedAt']);

const LABELS: Readonly<Record<string, string>> = {
  goldenImageId: 'Golden image',
  policyId: 'Policy',
  policyRevision: 'Revision',
  name: 'Name',
  url: 'Link',
  offset: 'From',
  total: 'Size',
  transferred: 'Downloaded',
  attemptBytes: 'This attempt',
  resumedFrom: 'Resumed from',
  rehashMs: 'Re-check took',
  from: 'From',
  to: 'To',
  hostChanged: 'Another host',
  reason: 'Why',
  attempt: 'Attempt',
  retryInMs: 'Next try in',
  bytes: 'Size',
  sha256: 'SHA-256',
  entries: 'Files',
  unpackedBytes: 'Unpacked size',
  format: 'Format',
  vmUuid: 'VM',
  recovered: 'Finished after a restart',
  os: 'System',
  error: 'Error',
};

const BYTES = new Set([
  'offset',
  'total',
  'transferred',
  'attemptBytes',
  'resumedFrom',
  'bytes',
  'unpackedBytes',
]);
const MILLISECONDS = new Set(['rehashMs', 'retryInMs']);
// Ids and checksums read by their start: the whole value is in the tooltip.
const SHORTENED = new Set(['vmUuid', 'sha256']);

/** An event's own fields as labelled, readable facts; golden images by their names. */
export function eventFacts(
  event: Readonly<Record<string, unknown>>,
  imageName: (id: string) => string,
): EventFact[] {
  return Object.entries(event).flatMap(([key, value]): EventFact[] => {
    if (SKIPPED.has(key) || value === undefined || value === null) return [];
    const label = LABELS[key] ?? key;
    if (key === 'goldenImageId' && typeof value === 'string') {
      return [{ label, value: imageName(value) }];
    }
    if (BYTES.has(key) && typeof value === 'number') return [{ label, value: formatBytes(value) }];
    if (MILLISECONDS.has(key) && typeof value === 'number') {
      return [{ label, value: `${(value / 1000).toFixed(1)} s` }];
    }
    if (SHORTENED.has(key) && typeof value === 'string') {
      return [{ label, value: `${value.slice(0, 8)}…`, full: value }];
    }
    if (typeof value === 'boolean') return [{ label, value: value ? 'Yes' : 'No' }];
    if (typeof value === 'object') {
      const { message, code } = value as { message?: unknown; code?: unknown };
      const text = typeof message === 'string' ? message : JSON.stringify(value);
      return [{ label, value: typeof code === 'string' ? `${text} (${code})` : text }];
    }
    return [{ label, value: String(value) }];
  });
}
