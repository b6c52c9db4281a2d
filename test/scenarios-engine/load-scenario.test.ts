import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError, loadScenario } from '../../electron/scenarios/load-scenario.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

async function write(text: string): Promise<string> {
  const dir = await tempDir();
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'scenario.yaml');
  await writeFile(file, text);
  return file;
}

async function problemsOf(text: string) {
  const file = await write(text);
  const error = await loadScenario(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return { file, error: error as ScenarioError };
}

const VALID = `name: resume after kill
description: kill the agent mid-download, restart, and it resumes
org: { fixture: standard }
faults:
  - type: bandwidth
    bytesPerSec: 1000000
  - type: status
    status: 503
    scope: { paths: [/images/*], attempts: { first: 2 } }
agent:
  license: DEMO-1234
  arch: arm64
steps:
  - do: run
  - do: kill-at
    percent: 40
  - do: restart
  - do: wait-for-event
    event: download-resumed
  - do: change-portal
    bumpRevision: true
    faults: [{ type: down }]
expect:
  outcome: registered
  events: [download-started, download-resumed, registered]
  registeredVms: 1
  absentFiles: ['downloads/*.part']
  maxBytesTransferred: 1.2x
  maxSeconds: 30
`;

describe('loadScenario', () => {
  it('loads a valid scenario with faults, steps and defaults filled in', async () => {
    const scenario = await loadScenario(await write(VALID));
    expect(scenario.name).toBe('resume after kill');
    expect(scenario.org).toEqual({ fixture: 'standard' });
    expect(scenario.agent).toEqual({
      license: 'DEMO-1234',
      arch: 'arm64',
      answer: 'accept',
      trustCa: true,
    });
    expect(scenario.timeoutSeconds).toBe(120);
    expect(scenario.faults?.map((f) => f.type)).toEqual(['bandwidth', 'status']);
    expect(scenario.faults?.[0]?.toxicity).toBe(1);
    expect(scenario.steps?.map((s) => s.do)).toEqual([
      'run',
      'kill-at',
      'restart',
      'wait-for-event',
      'change-portal',
    ]);
    expect(scenario.expect.maxBytesTransferred).toBe('1.2x');
  });

  it('keeps an inline org as data for the portal to check', async () => {
    const text = VALID.replace(
      'org: { fixture: standard }',
      'org:\n  checkInIntervalSec: 60\n  licenses: []',
    );
    const scenario = await loadScenario(await write(text));
    expect(scenario.org).toEqual({ checkInIntervalSec: 60, licenses: [] });
  });

  it('points a wrong type at the line and column of the value', async () => {
    const { file, error } = await problemsOf(
      VALID.replace('registeredVms: 1', 'registeredVms: one'),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({ file, line: 26, column: 18, path: 'expect.registeredVms' }),
    ]);
    expect(error.message).toContain(`${file}:26:18: expect.registeredVms: `);
  });

  it('points an unknown step at its "do" and lists the known ones', async () => {
    const { error } = await problemsOf(VALID.replace('do: restart', 'do: reboot'));
    const [problem] = error.problems;
    expect(problem).toMatchObject({ line: 17, column: 9, path: 'steps[2].do' });
    expect(problem?.reason).toContain('needs a "do", one of: run, wait-for-event, cancel-at');
  });

  it('points an unknown fault type at its "type"', async () => {
    const { error } = await problemsOf(VALID.replace('type: bandwidth', 'type: bandwith'));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line: 5, column: 11, path: 'faults[0].type' });
    expect(error.problems[0]?.reason).toContain('one of: latency, bandwidth');
  });

  it('points a missing expect.outcome at the "expect" key', async () => {
    const { error } = await problemsOf(VALID.replace('  outcome: registered\n', ''));
    expect(error.problems).toEqual([
      expect.objectContaining({
        line: 23,
        column: 1,
        path: 'expect.outcome',
        reason: 'is required',
      }),
    ]);
  });

  it('reports every problem at once, in file order', async () => {
    const text = VALID.replace('bytesPerSec: 1000000', 'bytesPerSec: -5')
      .replace('  arch: arm64', '  arch: ppc\n  colour: blue')
      .replace('    percent: 40', '    percent: 40\n    bytes: 100')
      .replace('maxBytesTransferred: 1.2x', 'maxBytesTransferred: lots');
    const { error } = await problemsOf(text);
    expect(error.problems.map((p) => [p.line, p.path])).toEqual([
      [6, 'faults[0].bytesPerSec'],
      [12, 'agent.arch'],
      [13, 'agent.colour'],
      [16, 'steps[1]'],
      [30, 'expect.maxBytesTransferred'],
    ]);
    expect(error.problems[2]?.reason).toBe('is not a known setting');
    expect(error.problems[3]?.reason).toBe('needs exactly one of: bytes, percent, event');
    expect(error.message).toMatch(/^The scenario has 5 problems:\n/);
    expect(error.message.split('\n')).toHaveLength(6);
  });

  it('gives a YAML syntax error its line and column', async () => {
    const { file, error } = await problemsOf('name: x\nagent:\n  license: [a, b\nexpect: {}\n');
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.problems[0]).toMatchObject({ file, path: '(syntax)' });
    expect(error.problems[0]?.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(
      new RegExp(`${file.replace(/[.\\]/g, '\\$&')}:\\d+:\\d+: \\(syntax\\)`),
    );
  });

  it('reports an empty file and a missing file', async () => {
    const { error } = await problemsOf('');
    expect(error.problems[0]).toMatchObject({ line: 1, column: 1, path: '(top level)' });
    const missing = join(await tempDir(), 'nope.yaml');
    await expect(loadScenario(missing)).rejects.toThrow(
      `${missing}:1:1: (file): cannot be read (ENOENT)`,
    );
  });
});
