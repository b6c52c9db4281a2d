import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** How many of the latest events a report holds. */
export const REPORT_EVENT_LIMIT = 500;

/** An agent event as found in a log line or the outbox: only its id and time are relied on. */
export interface FoundEvent {
  readonly id: string;
  readonly at: string;
  readonly [field: string]: unknown;
}

/**
 * The last `limit` events of a home, oldest first, each once: those the JobReporter logged
 * (`{event: …}` lines of the component logs, read whole, not only the tail the report keeps)
 * and those the outbox still holds because the portal has not accepted them.
 */
export async function recentEvents(
  logFiles: readonly string[],
  outboxFile: string,
  limit = REPORT_EVENT_LIMIT,
): Promise<FoundEvent[]> {
  const byId = new Map<string, FoundEvent>();
  for (const file of logFiles) {
    for await (const event of loggedEvents(file)) byId.set(event.id, event);
  }
  for (const event of await outboxEvents(outboxFile)) byId.set(event.id, event);
  // Sorting by time, not by source: a run's log and a later run's outbox interleave.
  const events = [...byId.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return events.slice(-limit);
}

async function* loggedEvents(file: string): AsyncGenerator<FoundEvent> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.includes('"event"')) continue;
    const event = asEvent(parse(line)?.event);
    if (event) yield event;
  }
}

async function outboxEvents(file: string): Promise<FoundEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  const events = parse(text)?.events;
  return Array.isArray(events) ? events.map(asEvent).filter((event) => event !== undefined) : [];
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function asEvent(value: unknown): FoundEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, at } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
    return undefined;
  }
  return value as FoundEvent;
}
