import type { AgentEventFields, AgentEventOf, AgentEventType } from '../../shared/protocol.ts';

const failure = { code: 'DOWNLOAD_FAILED', message: 'The download failed.' };

// One valid set of fields per event type, as the agent would send them.
const FIELDS: { readonly [T in AgentEventType]: AgentEventFields<T> } = {
  'checked-in': { policyId: 'policy-eng', policyRevision: 1, goldenImageId: 'img-1' },
  invited: { goldenImageId: 'img-1', name: 'Eng ARM' },
  accepted: { goldenImageId: 'img-1' },
  declined: { goldenImageId: 'img-1' },
  'download-started': { goldenImageId: 'img-1', url: 'https://images.example/a.pvmp', offset: 0 },
  'download-progress': { goldenImageId: 'img-1', transferred: 0, attemptBytes: 0, resumedFrom: 0 },
  'download-resumed': { goldenImageId: 'img-1', offset: 1 },
  'download-redirected': {
    goldenImageId: 'img-1',
    from: 'https://images.example/a.pvmp',
    to: 'https://cdn.example/a.pvmp',
    hostChanged: true,
  },
  'download-restarted': { goldenImageId: 'img-1', reason: 'the file changed' },
  'download-retrying': { goldenImageId: 'img-1', attempt: 1, error: failure },
  'download-finished': { goldenImageId: 'img-1', bytes: 1 },
  'download-failed': { goldenImageId: 'img-1', error: failure },
  verified: { goldenImageId: 'img-1', sha256: 'a'.repeat(64) },
  'verify-failed': { goldenImageId: 'img-1', error: failure },
  unpacked: { goldenImageId: 'img-1', entries: 1, unpackedBytes: 1, format: 'tar' },
  registered: { goldenImageId: 'img-1', vmUuid: crypto.randomUUID(), name: 'Eng ARM' },
  'install-failed': { goldenImageId: 'img-1', error: failure },
  'vm-created': { vmUuid: crypto.randomUUID(), name: 'Scratch', os: 'windows-11' },
  'update-offered': {
    goldenImageId: 'gi-arm',
    name: 'ACME Dev',
    vmUuid: crypto.randomUUID(),
    fromSha256: 'a'.repeat(64),
    toSha256: 'b'.repeat(64),
    sizeBytes: 4096,
  },
  'update-accepted': { goldenImageId: 'gi-arm', choice: 'replace' },
  'update-declined': { goldenImageId: 'gi-arm' },
  updated: {
    goldenImageId: 'gi-arm',
    vmUuid: crypto.randomUUID(),
    name: 'ACME Dev',
    sha256: 'b'.repeat(64),
    previousVmUuid: crypto.randomUUID(),
    previousRemoved: true,
  },
};

/** Valid fields of an event of `type`, with `overrides`. */
export function eventFields<T extends AgentEventType>(
  type: T,
  overrides: Partial<AgentEventFields<T>> = {},
): AgentEventFields<T> {
  return { ...FIELDS[type], ...overrides };
}

/** A whole valid event of `type` (new id, now), with `overrides`. */
export function sampleEvent<T extends AgentEventType>(
  type: T,
  overrides: Partial<AgentEventOf<T>> = {},
): AgentEventOf<T> {
  const event = { id: crypto.randomUUID(), type, at: new Date().toISOString(), ...FIELDS[type] };
  return { ...event, ...overrides } as unknown as AgentEventOf<T>;
}
