import { z } from 'zod';
import {
  FLEET_PHASES,
  MAX_FLEET_PAGE,
  type FleetAnswer,
  type FleetDevice,
  type FleetQuery,
} from '../../../shared/admin-fleet.ts';
import { matchFleet } from '../../../shared/admin-fleet-filter.ts';
import { AGENT_EVENT_TYPES } from '../../../shared/protocol.ts';
import { AdminError } from '../admin/admin-error.ts';
import { describeInvalid, zodProblems } from '../api-error.ts';

const text = z.string().trim().min(1).max(200);

const deviceQuerySchema = z.strictObject({
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_FLEET_PAGE).optional(),
  phase: z.enum(FLEET_PHASES).optional(),
  group: text.optional(),
  goldenImage: text.optional(),
  search: text.optional(),
});

const eventQuerySchema = z.strictObject({
  deviceId: z.string().min(1).max(100).optional(),
  type: z.enum(AGENT_EVENT_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(5_000).default(500),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});

/** The event list's query: filters, how many of the newest to skip, and how many to give. */
export type EventQuery = z.infer<typeof eventQuerySchema>;

/** Checks the device list's query; a bad one is a 400 BAD_REQUEST naming the parameter. */
export function parseDeviceQuery(query: unknown): FleetQuery {
  const parsed = deviceQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw new AdminError(
      'BAD_REQUEST',
      describeInvalid('device list query', parsed.error),
      zodProblems(parsed.error),
    );
  }
  return parsed.data;
}

/** Checks the event list's query; a bad one is a 400 BAD_REQUEST naming the parameter. */
export function parseEventQuery(query: unknown): EventQuery {
  const parsed = eventQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw new AdminError(
      'BAD_REQUEST',
      describeInvalid('event filter', parsed.error),
      zodProblems(parsed.error),
    );
  }
  return parsed.data;
}

/** One page of the devices that match, with their number and the counts per phase. */
export function pageOfDevices(devices: readonly FleetDevice[], query: FleetQuery): FleetAnswer {
  const { offset = 0, limit, ...filter } = query;
  const { devices: matches, phaseCounts } = matchFleet(devices, filter);
  const end = limit === undefined ? undefined : offset + limit;
  return { devices: matches.slice(offset, end), total: matches.length, offset, phaseCounts };
}

/** The newest `limit` of `events` after skipping the `offset` newest, still oldest first. */
export function pageOfEvents<T>(events: readonly T[], { limit, offset }: EventQuery) {
  const end = events.length - offset;
  return { events: events.slice(Math.max(0, end - limit), Math.max(0, end)), total: events.length };
}
