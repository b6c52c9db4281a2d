import { mkdir, writeFile } from 'node:fs/promises';
import { setMaxListeners } from 'node:events';
import { dirname, resolve } from 'node:path';
import { EXIT_CODES, type ExitCode } from '../../shared/codes.ts';
import { closeLoggers } from '../agent/logger.ts';
import { fleetSuite } from '../fleet/fleet-junit.ts';
import { runFleet, type FleetRunOptions } from '../fleet/fleet-run.ts';
import { failureLine, resultTable, summaryLine } from '../fleet/fleet-view.ts';
import { renderJUnit } from '../scenarios/junit-report.ts';
import { withInterrupt } from './interrupt.ts';
import { writeJsonLine } from './json-output.ts';

/** How a fleet's progress and end are shown. */
export interface FleetOutputOptions {
  readonly json: boolean;
  readonly junit?: string;
}

/** Runs a fleet until every Mac has ended or Ctrl-C, showing it live, then its table; returns the exit code. */
export async function runFleetWithOutput(
  fleet: Omit<FleetRunOptions, 'signal' | 'onMac'>,
  output: FleetOutputOptions,
): Promise<ExitCode> {
  const { result, outcomes } = await withInterrupt(async (signal) => {
    // Every Mac listens for Ctrl-C on the one signal: hundreds of listeners are expected here.
    setMaxListeners(0, signal);
    const running = runFleet({
      ...fleet,
      signal,
      onMac: (outcome) => {
        if (output.json) writeJsonLine(outcome);
        else if (outcome.error) process.stderr.write(`${failureLine(outcome)}\n`);
      },
    });
    const live = liveSummary(() => summaryLine(running.tally));
    try {
      return { result: await running.done, outcomes: running.tally.outcomes };
    } finally {
      live.stop();
    }
  });
  await closeLoggers();
  if (output.junit) {
    await mkdir(dirname(resolve(output.junit)), { recursive: true });
    await writeFile(output.junit, renderJUnit(fleetSuite(outcomes)));
  }
  if (output.json) writeJsonLine(result);
  else process.stdout.write(`${resultTable(result)}\n`);
  if (result.interrupted) return EXIT_CODES.INTERRUPTED;
  return result.failedMacs > 0 ? EXIT_CODES.FAILED : EXIT_CODES.OK;
}

// On a terminal the line is redrawn each second; elsewhere (CI logs) a line every 5 s.
function liveSummary(line: () => string): { stop: () => void } {
  const tty = process.stderr.isTTY === true;
  const timer = setInterval(
    () => process.stderr.write(tty ? `\r\x1b[2K${line()}` : `${line()}\n`),
    tty ? 1_000 : 5_000,
  );
  return {
    stop: () => {
      clearInterval(timer);
      process.stderr.write(tty ? `\r\x1b[2K${line()}\n` : `${line()}\n`);
    },
  };
}
