import { randomBytes } from 'node:crypto';
import { REPORT_ID_PATTERN } from '../../../shared/protocol.ts';

/** A new problem report ID: PR-, the UTC date of `now`, 8 random hex digits (REPORT_ID_PATTERN). */
export function newReportId(now: Date = new Date()): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `PR-${date}-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/** Whether a value is a problem report ID. */
export function isReportId(value: unknown): value is string {
  return typeof value === 'string' && REPORT_ID_PATTERN.test(value);
}
