import { z } from 'zod';

// Caps on what a device may send: far above what an agent writes, low enough to bound a batch.
const id = z.string().max(200);
const name = z.string().max(1_000);
const url = z.string().max(8_192);
const count = z.number().int().nonnegative();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const failure = z.object({ code: z.string().max(100), message: z.string().max(16_384) });

const base = { id: z.uuid(), at: z.iso.datetime() };
const image = { ...base, goldenImageId: id };

function event<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), ...shape });
}

/** One event of the agent as recorded, shown and delivered to the portal: its type and its fields. */
export const agentEventSchema = z.discriminatedUnion('type', [
  event('checked-in', {
    ...base,
    policyId: id,
    policyRevision: count,
    goldenImageId: id.optional(),
  }),
  event('invited', { ...image, name }),
  event('accepted', image),
  event('declined', image),
  event('download-started', { ...image, url, offset: count, total: count.optional() }),
  event('download-progress', {
    ...image,
    transferred: count,
    total: count.optional(),
    attemptBytes: count,
    resumedFrom: count,
  }),
  // rehashMs: how long re-reading and re-hashing the bytes an earlier run held took.
  event('download-resumed', {
    ...image,
    offset: count,
    total: count.optional(),
    rehashMs: count.optional(),
  }),
  event('download-redirected', { ...image, from: url, to: url, hostChanged: z.boolean() }),
  event('download-restarted', { ...image, reason: z.string().max(4_096) }),
  event('download-retrying', {
    ...image,
    attempt: count,
    error: failure,
    retryInMs: count.optional(),
  }),
  event('download-finished', { ...image, bytes: count }),
  event('download-failed', { ...image, error: failure }),
  event('verified', { ...image, sha256 }),
  event('verify-failed', { ...image, error: failure }),
  event('unpacked', {
    ...image,
    entries: count,
    unpackedBytes: count,
    format: z.enum(['tar', 'tar.gz', 'zip']),
  }),
  // recovered: a registration a crash interrupted, finished by the next run.
  // sha256: the golden image version the VM was made from (the fleet view shows it).
  event('registered', {
    ...image,
    vmUuid: id,
    name,
    recovered: z.boolean().optional(),
    sha256: sha256.optional(),
  }),
  event('install-failed', { ...image, error: failure }),
  event('vm-created', { ...base, vmUuid: id, name, os: id }),
  // A new version of the golden image a registered VM came from: vmUuid is that VM.
  event('update-offered', {
    ...image,
    name,
    vmUuid: id,
    fromSha256: sha256,
    toSha256: sha256,
    sizeBytes: count.optional(),
  }),
  event('update-accepted', { ...image, choice: z.enum(['replace', 'keep-both']) }),
  event('update-declined', image),
  // The new version is registered as vmUuid; the previous VM is removed unless policy prevents it.
  event('updated', {
    ...image,
    vmUuid: id,
    name,
    sha256,
    previousVmUuid: id,
    previousRemoved: z.boolean(),
    keptReason: z.string().max(4_096).optional(),
  }),
]);

/** An agent event. */
export type AgentEvent = z.infer<typeof agentEventSchema>;

/** An agent event type. */
export type AgentEventType = AgentEvent['type'];

/** The event of one type. */
export type AgentEventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;

/** What the emitter of an event gives: its fields without id, time and type. */
export type AgentEventFields<T extends AgentEventType> = Omit<
  AgentEventOf<T>,
  'id' | 'at' | 'type'
>;

/** Event types an agent reports to the portal, in the order a job meets them. */
export const AGENT_EVENT_TYPES = agentEventSchema.options.map(
  (option) => option.shape.type.value,
) as readonly AgentEventType[];
