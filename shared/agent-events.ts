import { z } from 'zod';

// Caps on what a device may send: far above what an agent writes, low enough to bound a batch.
const id = z.string().max(200);
const name = z.string().max(1_000);
const url = z.string().max(8_192);
const count = z.number().int().nonnegative();
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
  event('verified', { ...image, sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  event('verify-failed', { ...image, error: failure }),
  event('unpacked', {
    ...image,
    entries: count,
    unpackedBytes: count,
    format: z.enum(['tar', 'tar.gz', 'zip']),
  }),
  // recovered: a registration a crash interrupted, finished by the next run.
  event('registered', { ...image, vmUuid: id, name, recovered: z.boolean().optional() }),
  event('install-failed', { ...image, error: failure }),
  event('vm-created', { ...base, vmUuid: id, name, os: id }),
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
