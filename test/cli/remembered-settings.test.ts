import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ndjson,
  runArgs,
  runCliProcess,
  startCli,
  type CliProcess,
} from '../helpers/cli-process.ts';
import { useForwardProxies } from '../helpers/forward-proxy.ts';
import { KEYS } from '../helpers/portal-fixture.ts';
import { useArmPortals } from '../helpers/arm-portals.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const startProxy = useForwardProxies();
const agents: CliProcess[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.child.kill('SIGKILL');
});

const startArmPortal = useArmPortals(tempDir);
const fixturePortal = async () => (await startArmPortal('Kept VM')).portal;

const agentJson = async (home: string) =>
  JSON.parse(await readFile(join(home, 'agent.json'), 'utf8')) as Record<string, unknown>;

describe('what a command remembers in the home folder', () => {
  it('run remembers portal, key and proxy, and a later run without them uses all three', async () => {
    const portal = await fixturePortal();
    const proxy = await startProxy();
    const home = await tempDir();
    const target = { portal: portal.url, license: KEYS.eng, home };
    const first = await runCliProcess(runArgs(target, '--accept', '--json', '--proxy', proxy.url));
    expect(ndjson(first.stdout).at(-1)).toMatchObject({ outcome: 'registered' });
    expect(await agentJson(home)).toMatchObject({
      portalUrl: portal.url,
      licenseKey: KEYS.eng,
      proxyUrl: proxy.url,
    });
    const through = proxy.seen.length;
    const second = await runCliProcess([
      'run',
      '--home',
      home,
      '--arch',
      'arm64',
      '--accept',
      '--json',
    ]);
    expect(second.code).toBe(0);
    expect(ndjson(second.stdout).at(-1)).toMatchObject({ outcome: 'already-registered' });
    expect(proxy.seen.length).toBeGreaterThan(through);
  });

  it('refuses a bad proxy with exit 2 and keeps the settings remembered before', async () => {
    const portal = await fixturePortal();
    const home = await tempDir();
    const target = { portal: portal.url, license: KEYS.eng, home };
    expect((await runCliProcess(runArgs(target, '--decline', '--json'))).code).toBe(0);
    const bad = await runCliProcess(
      runArgs({ ...target, portal: 'http://127.0.0.1:9' }, '--decline', '--proxy', 'ftp://x:1'),
    );
    expect(bad.code).toBe(2);
    expect(await agentJson(home)).toMatchObject({ portalUrl: portal.url });
    expect((await agentJson(home)).proxyUrl).toBeUndefined();
  });

  it('remembers nothing while `provisim agent` holds the home: the run gets AGENT_BUSY', async () => {
    const portal = await fixturePortal();
    const other = await fixturePortal();
    const home = await tempDir();
    const agent = startCli([
      'agent',
      ...['--portal', portal.url, '--license', KEYS.eng, '--home', home, '--json'],
    ]);
    agents.push(agent);
    await agent.waitForLine((line) => line.includes('"checked-in"'));
    const target = { portal: other.url, license: KEYS.eng, home };
    const busy = await runCliProcess(runArgs(target, '--accept', '--json'));
    expect(ndjson(busy.stdout).at(-1)).toMatchObject({ error: { code: 'AGENT_BUSY' } });
    expect(await agentJson(home)).toMatchObject({ portalUrl: portal.url });
    agent.child.kill('SIGTERM');
    const stopped = await agent.done;
    expect(stopped.code).toBe(0);
    expect(ndjson(stopped.stdout).at(-1)).toMatchObject({ type: 'result', outcome: 'stopped' });
  });
});
