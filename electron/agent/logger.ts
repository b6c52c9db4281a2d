import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { homeLayout } from './home-layout.ts';
import { redactLicenseKey } from '../../shared/redact.ts';

type Destination = ReturnType<typeof pino.destination>;

const open = new Map<string, { logger: Logger; destination: Destination }>();

/** Paths whose values are license keys; the censor keeps their last four characters. */
export const REDACTED_PATHS = [
  'licenseKey',
  '*.licenseKey',
  '*.*.licenseKey',
  'headers.authorization',
  '*.headers.authorization',
];

/** A JSON-lines logger writing `<home>/logs/<component>.log`; one per file per process. */
export function createComponentLogger(home: string, component: string): Logger {
  const path = join(homeLayout(home).logs, `${component}.log`);
  const existing = open.get(path);
  if (existing) return existing.logger;
  const destination = pino.destination({ dest: path, mkdir: true, sync: false });
  const logger = pino(
    {
      base: { component, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: REDACTED_PATHS,
        censor: (value) => (typeof value === 'string' ? redactLicenseKey(value) : '[Redacted]'),
      },
    },
    destination,
  );
  open.set(path, { logger, destination });
  return logger;
}

/** Flushes and closes every logger file; later createComponentLogger calls reopen them. */
export async function closeLoggers(): Promise<void> {
  const entries = [...open.values()];
  open.clear();
  await Promise.all(
    entries.map(
      ({ destination }) =>
        new Promise<void>((resolve) => {
          destination.once('close', () => resolve());
          destination.once('error', () => resolve());
          destination.end();
        }),
    ),
  );
}
