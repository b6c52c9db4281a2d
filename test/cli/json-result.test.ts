import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliRun, ndjson, runCliProcess, startCli } from '../helpers/cli-process.ts';
import { KEYS, fixtureOrg, startFixturePortal } from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const exec = promisify(execFile);
const tempDir = useTempDirs();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Nothing listens there: every case below fails before the portal would be asked.
const DEAD_PORTAL = 'http://127.0.0.1:9';
// A read-only volume needs a mount of its own, which only root may make (and root ignores chmod).
const canMount = process.getuid?.() === 0 && process.platform === 'linux';

/** The command lines that take --json, each on `home`. */
const commands = (home: string): Record<string, string[]> => ({
  run: ['run', '--portal', DEAD_PORTAL, '--license', KEYS.eng, '--accept', '--home', home],
  create: ['create', '--name', 'Scratch', '--os', 'Ubuntu', '--home', home],
  agent: ['agent', '--portal', DEAD_PORTAL, '--license', KEYS.eng, '--home', home],
  vms: ['vms', '--home', home],
  demo: ['demo', '--home', home],
});

/** Asserts stdout is NDJSON ending with exactly one failed result line; returns its error. */
function failedLine(run: CliRun, exitCode = 1) {
  const lines = ndjson(run.stdout);
  expect(
    lines.filter((line) => line.type === 'result'),
    run.stderr,
  ).toHaveLength(1);
  expect(lines.at(-1)).toMatchObject({ type: 'result', outcome: 'failed' });
  expect(run.code).toBe(exitCode);
  return (lines.at(-1) as { error: { code: string; message: string } }).error;
}

describe('--json output after a failure outside the job', () => {
  it('ends with one failed result line for a corrupt agent.json, in every command', async () => {
    const home = await tempDir();
    await writeFile(join(home, 'agent.json'), '{"portalUrl": ');
    for (const [name, args] of Object.entries(commands(home))) {
      if (name === 'demo') continue;
      const run = await runCliProcess([...args, '--json']);
      const error = failedLine(run);
      expect(error, name).toMatchObject({
        code: 'REGISTRATION_FAILED',
        message: expect.stringContaining(`${join(home, 'agent.json')} is corrupt`),
      });
    }
    expect(await readFile(join(home, 'agent.json'), 'utf8')).toBe('{"portalUrl": ');
  });

  it('calls a 100,000-deep agent.json corrupt too, not a stack overflow', async () => {
    const home = await tempDir();
    const depth = 100_000;
    const deep = `{"portalUrl":"${DEAD_PORTAL}","x":${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    await writeFile(join(home, 'agent.json'), deep);
    const run = await runCliProcess([...commands(home).run!, '--json']);
    expect(failedLine(run)).toEqual({
      code: 'REGISTRATION_FAILED',
      message: expect.stringContaining('is corrupt (nested too deeply to be read)'),
    });
    expect(run.stdout + run.stderr).not.toContain('call stack');
    expect(await readFile(join(home, 'agent.json'), 'utf8')).toBe(deep);
  });

  it('names a home folder that cannot be written, in every command', async () => {
    const blocker = join(await tempDir(), 'a-file');
    await writeFile(blocker, 'not a folder');
    for (const [name, args] of Object.entries(commands(join(blocker, 'home')))) {
      const run = await runCliProcess([...args, '--json']);
      const error = failedLine(run);
      expect(error, name).toMatchObject({
        code: 'FOLDER_NOT_WRITABLE',
        message: expect.stringContaining('(ENOTDIR: a file is in the way)'),
      });
    }
  });

  it('names a logs folder that cannot be made, though the agent met it outside its job', async () => {
    const home = await tempDir();
    await writeFile(join(home, 'logs'), 'a file where the logs folder goes');
    const run = await runCliProcess([...commands(home).run!, '--json']);
    expect(failedLine(run)).toEqual({
      code: 'FOLDER_NOT_WRITABLE',
      message: expect.stringContaining(`${join(home, 'logs')} cannot be written (EEXIST`),
    });
  });

  it.runIf(canMount)('names a read-only home folder (EROFS), exit 1', async () => {
    const home = await tempDir();
    await exec('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', home]);
    cleanups.push(() => exec('umount', ['-l', home]));
    await writeFile(join(home, 'agent.json'), '{}');
    await exec('mount', ['-o', 'remount,ro', home]);
    for (const [name, args] of Object.entries(commands(home))) {
      // Listing only reads.
      if (name === 'vms') continue;
      const error = failedLine(await runCliProcess([...args, '--json']));
      expect(error, name).toMatchObject({
        code: 'FOLDER_NOT_WRITABLE',
        message: expect.stringContaining('(EROFS: a read-only volume)'),
      });
    }
  });

  it('ends with a USAGE result line and exit 2 when commander refuses the options', async () => {
    const home = await tempDir();
    for (const args of [
      [...commands(home).run!, '--bogus'],
      ['agent', '--home', home],
    ]) {
      const error = failedLine(await runCliProcess([...args, '--json']), 2);
      expect(error.code).toBe('USAGE');
    }
  });

  it('ends the agent’s check-in lines with a stopped result line on SIGTERM, exit 0', async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'images'));
    const portal = await startFixturePortal(dataDir, fixtureOrg({}));
    cleanups.push(() => portal.close());
    const home = await tempDir();
    const args = ['agent', '--portal', portal.url, '--license', KEYS.eng, '--home', home, '--json'];
    const agent = startCli(args);
    await agent.waitForLine((line) => line.includes('"checked-in"'));
    agent.child.kill('SIGTERM');
    const run = await agent.done;
    expect(ndjson(run.stdout).at(-1)).toEqual({ type: 'result', outcome: 'stopped' });
    expect(run.code).toBe(0);
  });
});
