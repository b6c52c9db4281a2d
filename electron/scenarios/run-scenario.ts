import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { startPortal, type RunningPortal } from '../portal/server.ts';
import { FleetRunProcess } from './fleet-run-process.ts';
import {
  checkFleetExpectations,
  describeFleetExpect,
  describeFleetResult,
} from './fleet-expectations.ts';
import { bytesReceived, checkExpectations } from './scenario-expectations.ts';
import { prepareScenarioOrg } from './scenario-org.ts';
import type { Scenario } from './scenario-schema.ts';
import { runSteps, type StepContext } from './scenario-steps.ts';

/** How one scenario went. */
export interface ScenarioReport {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  /** The last agent's outcome, with its error code when it failed. */
  readonly outcome: string;
  readonly expected: string;
  readonly seconds: number;
  /** Image bytes the agents received. */
  readonly bytes: number;
  /** One sentence per thing that went wrong. */
  readonly failures: readonly string[];
  /** The folder with the logs and the event trace, kept when the scenario failed. */
  readonly keptDir?: string;
}

/** Where and how a scenario runs. */
export interface RunScenarioOptions {
  /** A new folder for this scenario's portal, home, logs and trace. */
  readonly workDir: string;
  /** Seed of the portal's fault generator. */
  readonly seed: number;
  /** Keep the work folder even when the scenario passes. */
  readonly keep?: boolean;
}

/** Runs one scenario with its own portal on a free port and its own agent home. */
export async function runScenario(
  file: string,
  scenario: Scenario,
  options: RunScenarioOptions,
): Promise<ScenarioReport> {
  const { workDir } = options;
  const home = join(workDir, 'home');
  await mkdir(home, { recursive: true });
  const started = performance.now();
  const runs: StepContext['runs'] = [];
  const failures: string[] = [];
  let portal: RunningPortal | undefined;
  let fleet: FleetRunProcess | undefined;
  const logger = pino(pino.destination({ dest: join(workDir, 'portal.log'), sync: true }));
  const arch = scenario.agent.arch ?? 'arm64';
  let imageBytes = 0;
  try {
    const prepared = await prepareScenarioOrg(scenario.org, join(workDir, 'portal'), file);
    imageBytes = prepared.archiveBytes[arch];
    portal = await startPortal({
      dataDir: join(workDir, 'portal'),
      org: prepared.org,
      faults: scenario.faults,
      faultSeed: options.seed,
      logger,
      // A tls fault needs an HTTPS listener, so it implies one.
      https: scenario.https ?? needsHttps(scenario),
    });
    for (const path of scenario.agent.homeFiles ?? []) {
      await mkdir(dirname(join(home, path)), { recursive: true });
      await writeFile(join(home, path), '');
    }
    const context: StepContext = {
      portal,
      arch,
      imageBytes,
      runs,
      agent: {
        licenseKey: scenario.agent.license,
        home,
        arch,
        answer: scenario.agent.answer,
        force: scenario.agent.force,
        stallTimeoutMs: scenario.agent.stallTimeoutMs,
        retries: scenario.agent.retries,
        retryDelayMs: scenario.agent.retryDelayMs,
        caFile: scenario.agent.trustCa ? portal.caCertPath : undefined,
        tracePath: join(workDir, 'trace.ndjson'),
        logPath: join(workDir, 'agent.log'),
      },
    };
    if (scenario.agent.macs === undefined) {
      await withDeadline(runSteps(scenario.steps ?? [{ do: 'run' }], context), scenario, runs);
    } else {
      fleet = startFleet(scenario, context);
      const ended = fleet.exited.then(() => undefined);
      await withDeadline(ended, scenario, [fleet]);
    }
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const run of [...runs, ...(fleet ? [fleet] : [])]) run.signal('SIGKILL');
    await Promise.all([...runs.map((run) => run.exited), fleet?.exited]);
    await portal?.close();
    logger.flush();
  }
  const seconds = (performance.now() - started) / 1000;
  if (failures.length === 0) {
    failures.push(
      ...(await checkExpectations(scenario.expect, { runs, home, seconds, imageBytes })),
      ...(scenario.expect.fleet
        ? checkFleetExpectations(scenario.expect.fleet, fleet?.result)
        : []),
    );
  }
  const passed = failures.length === 0;
  const keptDir = passed && !options.keep ? undefined : workDir;
  if (!keptDir) await rm(workDir, { recursive: true, force: true });
  const result = runs.at(-1)?.result;
  const { expect } = scenario;
  return {
    file,
    name: scenario.name,
    passed,
    outcome: expect.fleet
      ? describeFleetResult(fleet?.result)
      : describe(result?.outcome ?? 'stopped', result?.error?.code),
    expected: expect.fleet
      ? describeFleetExpect(expect.fleet)
      : describe(expect.outcome ?? '', expect.errorCode),
    seconds,
    bytes: bytesReceived(runs) + (fleet?.result?.bytesTotal ?? 0),
    failures,
    keptDir,
  };
}

// The scenario's fleet: its Macs as the one-Mac agent settings describe them.
function startFleet(scenario: Scenario, context: StepContext): FleetRunProcess {
  const { agent } = context;
  return new FleetRunProcess({
    ...agent,
    portalUrl: context.portal.url,
    macs: scenario.agent.macs!,
    acceptRate: scenario.agent.acceptRate ?? (agent.answer === 'accept' ? 1 : 0),
    seed: scenario.agent.seed ?? 1,
    disk: scenario.agent.disk ?? 'full',
  });
}

function needsHttps(scenario: Scenario): boolean {
  const changes = (scenario.steps ?? []).flatMap((s) =>
    s.do === 'change-portal' ? (s.faults ?? []) : [],
  );
  return [...(scenario.faults ?? []), ...changes].some((fault) => fault.type === 'tls');
}

function describe(outcome: string, code: string | undefined): string {
  return code ? `${outcome} (${code})` : outcome;
}

// A scenario that hangs is stopped and reported, never left to block the whole run.
async function withDeadline(
  steps: Promise<void>,
  scenario: Scenario,
  runs: readonly { signal(signal: NodeJS.Signals): void }[],
): Promise<void> {
  const timer = new AbortController();
  const deadline = new Promise<never>((_resolve, reject) => {
    const id = setTimeout(() => {
      for (const run of runs) run.signal('SIGKILL');
      reject(new Error(`the scenario did not finish within ${scenario.timeoutSeconds} s`));
    }, scenario.timeoutSeconds * 1000);
    timer.signal.addEventListener('abort', () => clearTimeout(id));
  });
  try {
    await Promise.race([steps, deadline]);
  } finally {
    timer.abort();
    steps.catch(() => undefined);
  }
}
