import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { EXIT_CODES } from '../../../shared/codes.ts';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { terminalLine } from '../../../shared/terminal-text.ts';
import { renderJUnit } from '../../scenarios/junit-report.ts';
import { findScenarioFiles, ScenarioError } from '../../scenarios/load-scenario.ts';
import { runScenarios } from '../../scenarios/run-scenarios.ts';
import {
  renderScenarioSummary,
  renderScenarioTable,
  scenarioSuite,
} from '../../scenarios/scenario-table.ts';
import { parsePositiveInt } from '../cli-options.ts';
import type { SetExitCode } from '../exit-code.ts';

interface ScenarioFlags {
  junit?: string;
  seed?: number;
  jobs?: number;
  filter?: string;
  workDir?: string;
  keep?: boolean;
}

/** Registers `provisim scenario`: runs QA scenario files, each against its own portal. */
export function registerScenarioCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('scenario')
    .description('Run scenario files (YAML): each gets its own portal and agent home.')
    .argument('<paths...>', 'scenario files, or folders of *.yaml files')
    .option('--junit <file>', 'write a JUnit XML report here')
    .option('--seed <n>', 'seed of the portals fault generator (default 1)', parseSeed)
    .option('--jobs <n>', 'scenarios to run at once (default 1)', parsePositiveInt)
    .option('--filter <text>', 'run only scenarios whose name or file name contains this')
    .option('--work-dir <dir>', 'where work folders go (default: a new temporary folder)')
    .option('--keep', 'keep the work folders of passing scenarios too')
    .action(async (paths: string[], flags: ScenarioFlags) =>
      setExitCode(await scenarioCommand(paths, flags)),
    );
}

async function scenarioCommand(paths: string[], flags: ScenarioFlags) {
  let files: string[];
  try {
    files = await findScenarioFiles(paths);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    throw new ProvisimError('USAGE', { message: error.message });
  }
  const { reports } = await runScenarios(files, {
    seed: flags.seed,
    jobs: flags.jobs,
    filter: flags.filter,
    workRoot: flags.workDir === undefined ? undefined : resolve(flags.workDir),
    keep: flags.keep,
    onReport: (r) =>
      process.stderr.write(
        `${r.passed ? 'ok  ' : 'FAIL'} ${terminalLine(r.name)} (${r.seconds.toFixed(1)} s)\n`,
      ),
  });
  if (reports.length === 0) {
    throw new ProvisimError('USAGE', {
      message: flags.filter
        ? `No scenario matches "${flags.filter}".`
        : 'No scenario files (*.yaml) were found there.',
    });
  }
  process.stdout.write(`${renderScenarioTable(reports)}\n\n${renderScenarioSummary(reports)}\n`);
  if (flags.junit) {
    await mkdir(dirname(resolve(flags.junit)), { recursive: true });
    await writeFile(flags.junit, renderJUnit(scenarioSuite(reports)));
  }
  return reports.every((r) => r.passed) ? EXIT_CODES.OK : EXIT_CODES.FAILED;
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError('Use a whole number.');
  return seed;
}
