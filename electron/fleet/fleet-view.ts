import prettyBytes from 'pretty-bytes';
import { terminalLine } from '../../shared/terminal-text.ts';
import type { MacOutcome } from './fleet-mac.ts';
import type { FleetResult, FleetTally, Percentiles } from './fleet-tally.ts';

const PHASE_ORDER = [
  'waiting',
  'checking-policy',
  'invited',
  'downloading',
  'verifying',
  'unpacking',
  'registering',
  'creating',
  'done',
] as const;

/** One line on where the fleet stands: Macs per phase, throughput, errors, time left. */
export function summaryLine(tally: FleetTally): string {
  const now = tally.snapshot();
  const seconds = now.elapsedMs / 1000;
  const phases = PHASE_ORDER.flatMap((phase) => {
    const count = now.phases[phase];
    return count ? [`${count} ${phase}`] : [];
  });
  const rate = seconds > 0 ? `${prettyBytes(now.bytes / seconds)}/s` : '0 B/s';
  const errors = Object.entries(now.errors).map(([code, count]) => `${code} ${count}`);
  // The Macs still to end, at the pace the ended ones set.
  const left = now.macs - now.finished;
  const eta =
    now.finished > 0 && left > 0
      ? ` · about ${Math.ceil((left * seconds) / now.finished)} s left`
      : '';
  return terminalLine(
    `[${seconds.toFixed(0)} s] ${now.macs} Macs: ${phases.join(', ')} · ${rate}` +
      (errors.length > 0 ? ` · errors: ${errors.join(', ')}` : '') +
      eta,
  );
}

/** A line about a Mac that did not end as its policy allows. */
export function failureLine(outcome: MacOutcome): string {
  const { code, message } = outcome.error ?? { code: 'INTERNAL_ERROR', message: '' };
  return terminalLine(`${outcome.hostname} failed (${code}): ${message}`);
}

/** The closing table: Macs per outcome and error code, and the spreads per Mac. */
export function resultTable(result: FleetResult): string {
  const rows: [string, string][] = [
    ...Object.entries(result.outcomes).map(([outcome, count]): [string, string] => [
      outcome,
      String(count),
    ]),
    ...Object.entries(result.errors).map(([code, count]): [string, string] => [
      `  ${code}`,
      String(count),
    ]),
    ['time to VM (p50/p90/p99)', spread(result.timeToVmMs, (ms) => `${(ms / 1000).toFixed(1)} s`)],
    ['retries (p50/p90/p99)', spread(result.retries, String)],
    ['bytes (p50/p90/p99)', spread(result.bytes, (n) => prettyBytes(n))],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const title = `${result.macs} Macs in ${(result.durationMs / 1000).toFixed(1)} s${result.interrupted ? ' (interrupted: a rerun continues)' : ''}`;
  return [title, ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`)]
    .map(terminalLine)
    .join('\n');
}

function spread(values: Percentiles, show: (n: number) => string): string {
  if (values.p50 === null) return '-';
  return [values.p50, values.p90, values.p99].map((n) => show(n!)).join(' / ');
}
