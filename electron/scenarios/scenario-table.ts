import prettyBytes from 'pretty-bytes';
import { terminalLine, terminalText } from '../../shared/terminal-text.ts';
import type { JUnitSuite } from './junit-report.ts';
import type { ScenarioReport } from './run-scenario.ts';

const HEADINGS = ['scenario', 'outcome', 'expected', 'time', 'bytes'] as const;

// Names and expectations come from scenario files, outcomes and failures from agent output: the
// table shows them on a terminal, one row per scenario, with every control character escaped.

/** The reports as a plain-text table, one scenario per row, failures marked. */
export function renderScenarioTable(reports: readonly ScenarioReport[]): string {
  const rows = reports.map((r) =>
    [
      `${r.passed ? 'ok  ' : 'FAIL'} ${r.name}`,
      r.outcome,
      r.expected,
      `${r.seconds.toFixed(1)} s`,
      prettyBytes(r.bytes, { binary: true }),
    ].map(terminalLine),
  );
  const table = [['     ' + HEADINGS[0], ...HEADINGS.slice(1)], ...rows];
  const widths = HEADINGS.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The summary line and, for each failed scenario, why and where its logs are. */
export function renderScenarioSummary(reports: readonly ScenarioReport[]): string {
  const failed = reports.filter((r) => !r.passed);
  const seconds = reports.reduce((sum, r) => sum + r.seconds, 0);
  const lines = failed.flatMap((r) => [
    `FAIL ${terminalLine(r.name)} (${terminalLine(r.file)})`,
    ...r.failures.map((f) => `  - ${terminalText(f)}`),
    ...(r.keptDir ? [`  logs and event trace: ${terminalLine(r.keptDir)}`] : []),
  ]);
  const total = `${reports.length} scenario${reports.length === 1 ? '' : 's'}`;
  lines.push(
    `${total}: ${reports.length - failed.length} passed, ${failed.length} failed (${seconds.toFixed(1)} s of scenario time)`,
  );
  return lines.join('\n');
}

/** The reports as a JUnit suite: one test case per scenario. */
export function scenarioSuite(reports: readonly ScenarioReport[]): JUnitSuite {
  return {
    name: 'provisim scenarios',
    cases: reports.map((r) => ({
      name: r.name,
      className: r.file,
      seconds: r.seconds,
      failure: r.passed
        ? undefined
        : { message: r.failures[0] ?? 'failed', details: r.failures.join('\n') },
      systemOut: `outcome: ${r.outcome}\nexpected: ${r.expected}\nbytes: ${r.bytes}${r.keptDir ? `\nlogs: ${r.keptDir}` : ''}`,
    })),
  };
}
