import { mkdir, mkdtemp, readdir, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pLimit from 'p-limit';
import { loadScenario, ScenarioError } from './load-scenario.ts';
import { runScenario, type ScenarioReport } from './run-scenario.ts';
import type { Scenario } from './scenario-schema.ts';

/** Options of a scenario run. */
export interface RunScenariosOptions {
  /** Seed of every portal's fault generator (1 by default). */
  readonly seed?: number;
  /** How many scenarios run at once (1 by default). */
  readonly jobs?: number;
  /** Runs only scenarios whose name or file name contains this text (any case). */
  readonly filter?: string;
  /** Folder for the scenarios' work folders; a new one under the system temp folder by default. */
  readonly workRoot?: string;
  /** Keep every work folder, not only those of failed scenarios. */
  readonly keep?: boolean;
  /** Called as each scenario finishes. */
  readonly onReport?: (report: ScenarioReport) => void;
}

/** Every scenario's report, in file order, and where their work folders were. */
export interface ScenarioRun {
  readonly reports: readonly ScenarioReport[];
  readonly workRoot: string;
}

type Loaded = { file: string; scenario: Scenario } | { file: string; error: ScenarioError };

/** Loads and runs scenario files; a file that cannot be loaded is a failed scenario. */
export async function runScenarios(
  files: readonly string[],
  options: RunScenariosOptions = {},
): Promise<ScenarioRun> {
  const loaded: Loaded[] = await Promise.all(
    files.map(async (file) => {
      try {
        return { file, scenario: await loadScenario(file) };
      } catch (error) {
        if (error instanceof ScenarioError) return { file, error };
        throw error;
      }
    }),
  );
  const wanted = options.filter?.toLowerCase();
  const chosen = loaded.filter(
    (item) =>
      wanted === undefined ||
      basename(item.file).toLowerCase().includes(wanted) ||
      ('scenario' in item && item.scenario.name.toLowerCase().includes(wanted)),
  );
  const workRoot = options.workRoot ?? (await mkdtemp(join(tmpdir(), 'provisim-scenarios-')));
  await mkdir(workRoot, { recursive: true });
  const limit = pLimit(options.jobs ?? 1);
  const reports = await Promise.all(
    chosen.map((item, index) =>
      limit(async () => {
        const report =
          'scenario' in item
            ? await runScenario(item.file, item.scenario, {
                workDir: join(
                  workRoot,
                  `${String(index + 1).padStart(3, '0')}-${slug(item.scenario.name)}`,
                ),
                seed: options.seed ?? 1,
                keep: options.keep,
              })
            : unloadable(item.file, item.error);
        options.onReport?.(report);
        return report;
      }),
    ),
  );
  // Nothing kept means nothing to read: the root goes too.
  if ((await readdir(workRoot)).length === 0) await rmdir(workRoot);
  return { reports, workRoot };
}

function unloadable(file: string, error: ScenarioError): ScenarioReport {
  return {
    file,
    name: basename(file),
    passed: false,
    outcome: 'not loaded',
    expected: '-',
    seconds: 0,
    bytes: 0,
    failures: error.message.split('\n').slice(1),
  };
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'scenario'
  );
}
