import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { openAgentStore } from '../agent/agent-store.ts';
import type { AgentRunProcess } from './agent-run-process.ts';
import type { ScenarioExpect } from './scenario-schema.ts';

/** What a scenario left behind, as the expectations read it. */
export interface ScenarioObservation {
  readonly runs: readonly AgentRunProcess[];
  readonly home: string;
  readonly seconds: number;
  /** Archive size of the image the agent downloads, for bounds given as a multiple. */
  readonly imageBytes: number;
}

/** Image bytes the agents of a scenario received, over every process and attempt. */
export function bytesReceived(runs: readonly AgentRunProcess[]): number {
  return runs.reduce((sum, run) => sum + run.bytesReceived, 0);
}

/** Checks every expectation; returns one sentence per one that does not hold. */
export async function checkExpectations(
  expect: ScenarioExpect,
  seen: ScenarioObservation,
): Promise<string[]> {
  const failures: string[] = [];
  const result = seen.runs.at(-1)?.result;
  const outcome = result?.outcome ?? '(no result: the last agent was stopped)';
  if (expect.outcome !== undefined && outcome !== expect.outcome)
    failures.push(`outcome was ${outcome}, expected ${expect.outcome}`);
  if (expect.errorCode !== undefined && result?.error?.code !== expect.errorCode) {
    failures.push(`error code was ${result?.error?.code ?? 'none'}, expected ${expect.errorCode}`);
  }
  if (expect.events) {
    const events = seen.runs.flatMap((run) => run.events);
    const missing = missingFromSubsequence(events, expect.events);
    if (missing !== undefined) {
      failures.push(
        `event "${missing}" did not come in order; the events were: ${events.join(', ')}`,
      );
    }
  }
  if (expect.registeredVms !== undefined || expect.vmNames !== undefined) {
    const names = (openAgentStore(seen.home).get('vms') ?? []).map((vm) => vm.name);
    if (expect.registeredVms !== undefined && names.length !== expect.registeredVms) {
      failures.push(`${names.length} VMs were registered, expected ${expect.registeredVms}`);
    }
    if (expect.vmNames && names.join('\n') !== expect.vmNames.join('\n')) {
      failures.push(`the VMs are [${names.join(', ')}], expected [${expect.vmNames.join(', ')}]`);
    }
  }
  if (expect.absentFiles) {
    const present = await matchingFiles(seen.home, expect.absentFiles);
    if (present.length > 0) failures.push(`these files must not exist: ${present.join(', ')}`);
  }
  for (const glob of expect.presentFiles ?? []) {
    if ((await matchingFiles(seen.home, [glob])).length === 0) {
      failures.push(`no file matches ${glob}, though one must exist`);
    }
  }
  if (expect.maxBytesTransferred !== undefined) {
    const limit = byteLimit(expect.maxBytesTransferred, seen.imageBytes);
    const received = bytesReceived(seen.runs);
    if (received > limit)
      failures.push(`${received} image bytes were received, at most ${limit} expected`);
  }
  if (expect.maxSeconds !== undefined && seen.seconds > expect.maxSeconds) {
    failures.push(`took ${seen.seconds.toFixed(1)} s, at most ${expect.maxSeconds} s expected`);
  }
  return failures;
}

// The first expected event that is not found after the previous one, if any.
function missingFromSubsequence(events: readonly string[], wanted: readonly string[]) {
  let from = 0;
  for (const event of wanted) {
    const at = events.indexOf(event, from);
    if (at === -1) return event;
    from = at + 1;
  }
  return undefined;
}

function byteLimit(bound: number | string, imageBytes: number): number {
  return typeof bound === 'number' ? bound : Math.floor(Number(bound.slice(0, -1)) * imageBytes);
}

// A folder counts only for a pattern that names it, not for `dir/**`, which means what is inside.
async function matchingFiles(home: string, globs: readonly string[]): Promise<string[]> {
  const matchesFile = picomatch([...globs], { dot: true });
  const folderGlobs = globs.filter((glob) => !glob.endsWith('/**'));
  const matchesFolder =
    folderGlobs.length > 0 ? picomatch(folderGlobs, { dot: true }) : () => false;
  const entries = await readdir(home, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => {
      const path = relative(home, join(entry.parentPath, entry.name)).split(sep).join('/');
      return entry.isDirectory() ? matchesFolder(path) : matchesFile(path);
    })
    .map((entry) => relative(home, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
