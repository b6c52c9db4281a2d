import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenarios } from '../../electron/scenarios/run-scenarios.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

const HAPPY = `name: happy path
org: { fixture: standard }
agent: { license: QA-ENG-0002 }
expect:
  outcome: registered
  registeredVms: 1
  absentFiles: ['downloads/**']
`;

/** Writes scenario files into a new folder; returns the folder and a folder for work dirs. */
async function scenarios(files: Record<string, string>) {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return { files: Object.keys(files).map((name) => join(dir, name)), workRoot: await tempDir() };
}

describe('runScenarios', () => {
  it('passes a scenario that holds and removes its work folder', async () => {
    const { files, workRoot } = await scenarios({ 'happy.yaml': HAPPY });
    const { reports } = await runScenarios(files, { workRoot });
    expect(reports).toMatchObject([{ name: 'happy path', passed: true, outcome: 'registered' }]);
    expect(reports[0]!.bytes).toBeGreaterThan(1024 * 1024);
    expect(reports[0]!.keptDir).toBeUndefined();
    expect(existsSync(workRoot)).toBe(false);
  });

  it('fails a scenario whose expectations do not hold and keeps its logs and trace', async () => {
    const wrong = HAPPY.replace('outcome: registered', 'outcome: no-image').replace(
      'registeredVms: 1',
      'registeredVms: 0',
    );
    const { files, workRoot } = await scenarios({ 'wrong.yaml': wrong });
    const [report] = (await runScenarios(files, { workRoot })).reports;
    expect(report!.passed).toBe(false);
    expect(report!.failures).toEqual([
      'outcome was registered, expected no-image',
      '1 VMs were registered, expected 0',
    ]);
    const trace = await readFile(join(report!.keptDir!, 'trace.ndjson'), 'utf8');
    expect(trace).toContain('"type":"registered"');
    expect(existsSync(join(report!.keptDir!, 'portal.log'))).toBe(true);
    expect(existsSync(join(report!.keptDir!, 'agent.log'))).toBe(true);
  });

  it('reports a file that cannot be loaded as a failed scenario pointing at the line', async () => {
    const { files, workRoot } = await scenarios({ 'bad.yaml': `${HAPPY}\nbogus: 1\n` });
    const [report] = (await runScenarios(files, { workRoot })).reports;
    expect(report).toMatchObject({ passed: false, outcome: 'not loaded' });
    expect(report!.failures[0]).toMatch(/bad\.yaml:9:1: bogus: is not a known setting/);
  });

  it('runs only the scenarios the filter names', async () => {
    const other = HAPPY.replace('happy path', 'another one');
    const { files, workRoot } = await scenarios({ 'a.yaml': HAPPY, 'b.yaml': other });
    const { reports } = await runScenarios(files, { workRoot, filter: 'ANOTHER' });
    expect(reports.map((r) => r.name)).toEqual(['another one']);
  });

  it('kills at a byte offset exactly and resumes after a restart', async () => {
    const text = `name: kill and resume
org: { fixture: standard, imageBytes: 2097152 }
agent: { license: QA-ENG-0002 }
steps:
  - do: run
  - do: kill-at
    bytes: 1000000
  - do: restart
expect:
  outcome: registered
  events: [download-started, download-resumed, registered]
  maxBytesTransferred: 1.01x
`;
    const { files, workRoot } = await scenarios({ 'kill.yaml': text });
    const [report] = (await runScenarios(files, { workRoot, keep: true })).reports;
    expect(report!.failures).toEqual([]);
    const trace = await readFile(join(report!.keptDir!, 'trace.ndjson'), 'utf8');
    const resumed = trace.split('\n').find((line) => line.includes('"download-resumed"'));
    expect(JSON.parse(resumed!)).toMatchObject({ offset: 1_000_000 });
  });

  it('lifts a fault by id, checks kept files, and passes the retry delay to the agent', async () => {
    const text = `name: lift a fault
org: { fixture: standard }
faults:
  - type: status
    id: broken
    status: 503
    scope: { paths: ['/images/*'] }
agent: { license: QA-ENG-0002, retries: 1, retryDelayMs: 10 }
steps:
  - do: run
  - do: wait-for-event
    event: download-failed
  - do: change-portal
    removeFaults: [broken]
  - do: run
expect:
  outcome: registered
  events: [download-failed, registered]
  presentFiles: ['Parallels/*.pvm/config.pvs']
`;
    const missing = text.replace(
      "presentFiles: ['Parallels/*.pvm/config.pvs']",
      "presentFiles: ['downloads/*.part']",
    );
    const unknown = text.replace('removeFaults: [broken]', 'removeFaults: [nothing]');
    const { files, workRoot } = await scenarios({
      'a.yaml': text,
      'b.yaml': missing,
      'c.yaml': unknown,
    });
    const { reports } = await runScenarios(files, { workRoot, jobs: 2 });
    expect(reports.map((r) => r.failures)).toEqual([
      [],
      ['no file matches downloads/*.part, though one must exist'],
      ['steps[2] (change-portal): there is no active fault with id "nothing"'],
    ]);
    expect(reports[0]!.seconds).toBeLessThan(30);
  });

  it('fails a step that cannot happen with the step named', async () => {
    const text = HAPPY.replace(
      'expect:',
      'steps:\n  - do: run\n  - do: wait-for-event\n    event: vm-created\nexpect:',
    );
    const { files, workRoot } = await scenarios({ 'wait.yaml': text });
    const [report] = (await runScenarios(files, { workRoot })).reports;
    expect(report!.failures).toEqual([
      'steps[1] (wait-for-event): the agent ended without the event "vm-created"',
    ]);
  });

  it('refuses a stop point outside the image', async () => {
    const text = HAPPY.replace(
      'expect:',
      'steps:\n  - do: run\n  - do: kill-at\n    percent: 100\nexpect:',
    );
    const { files, workRoot } = await scenarios({ 'outside.yaml': text });
    const [report] = (await runScenarios(files, { workRoot })).reports;
    expect(report!.failures[0]).toMatch(
      /^steps\[0\] \(run\): the stop point must be inside the image/,
    );
  });

  it('stops a scenario that hangs at its deadline', async () => {
    const text = `${HAPPY.replace('expect:', 'timeoutSeconds: 2\nfaults:\n  - type: timeout\n    scope: { paths: ["/images/*"] }\nexpect:')}`;
    const { files, workRoot } = await scenarios({ 'hang.yaml': text });
    const [report] = (await runScenarios(files, { workRoot })).reports;
    expect(report!.failures).toEqual(['the scenario did not finish within 2 s']);
    expect(report!.outcome).toBe('stopped');
  });

  it('serves HTTPS when asked or when a tls fault needs it, trusting the CA unless told not to', async () => {
    const trusted = HAPPY.replace('org:', 'https: true\norg:');
    const untrusted = `name: untrusted
org: { fixture: standard }
faults:
  - type: tls
    certificate: untrusted
agent: { license: QA-ENG-0002 }
expect: { outcome: failed, errorCode: TLS_UNTRUSTED }
`;
    const noCa = untrusted
      .replace(/faults:\n.*\n.*\n/, 'https: true\n')
      .replace('QA-ENG-0002', 'QA-ENG-0002, trustCa: false');
    const { files, workRoot } = await scenarios({
      'a.yaml': trusted,
      'b.yaml': untrusted,
      'c.yaml': noCa,
    });
    const { reports } = await runScenarios(files, { workRoot, jobs: 2 });
    expect(reports.map((r) => [r.outcome, r.failures])).toEqual([
      ['registered', []],
      ['failed (TLS_UNTRUSTED)', []],
      ['failed (TLS_UNTRUSTED)', []],
    ]);
  });

  it('refuses to revoke a license key the organisation does not have', async () => {
    const text = HAPPY.replace(
      'expect:',
      'steps:\n  - do: change-portal\n    revokeLicense: NO-SUCH-KEY\nexpect:',
    );
    const { files, workRoot } = await scenarios({ 'revoke.yaml': text });
    const [report] = (await runScenarios(files, { workRoot })).reports;
    expect(report!.failures).toEqual([
      'steps[0] (change-portal): the organisation has no license key "NO-SUCH-KEY"',
    ]);
  });
});
