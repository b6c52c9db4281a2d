import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_ID_PATTERN } from '../../shared/protocol.ts';
import { partsOf, readBundle } from '../agent/report/bundle-reader.ts';
import { closedPortUrl, receiptFor, useReportServers } from '../agent/report/report-server.ts';
import { useArmPortals } from '../helpers/arm-portals.ts';
import { ndjson, runArgs, runCliProcess } from '../helpers/cli-process.ts';
import { useForwardProxies } from '../helpers/forward-proxy.ts';
import { KEYS } from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const startArmPortal = useArmPortals(tempDir);
const startProxy = useForwardProxies();
const startServer = useReportServers();
const PASSWORD = 'cli-Pr0xy-secret';

/** A home a real `provisim run` left, through a proxy with a password (remembered). */
async function usedHome() {
  const { portal } = await startArmPortal();
  const proxy = await startProxy({ user: 'me', password: PASSWORD });
  const home = await tempDir();
  const target = { portal: portal.url, license: KEYS.eng, home };
  const args = runArgs(target, '--accept', '--json', '--proxy', proxy.urlWith('me', PASSWORD));
  const run = await runCliProcess(args);
  expect(ndjson(run.stdout).at(-1)).toMatchObject({ outcome: 'registered' });
  return home;
}

describe('provisim report', () => {
  it('writes the bundle and prints one result line with --json; the bundle holds no secret', async () => {
    const home = await usedHome();
    const out = await tempDir();
    const report = await runCliProcess(['report', '--home', home, '--out', out, '--json']);
    expect(report.code).toBe(0);
    const lines = ndjson(report.stdout);
    expect(lines).toHaveLength(1);
    const result = lines[0] as { id: string; path: string; sizeBytes: number };
    expect(result).toEqual({
      type: 'result',
      outcome: 'reported',
      id: expect.stringMatching(REPORT_ID_PATTERN),
      path: join(out, `${result.id}.tar.gz`),
      sizeBytes: (await readFile(result.path)).length,
      sent: false,
    });
    const bundle = await readBundle(result.path);
    expect(partsOf(bundle, result.id)).toEqual(
      expect.arrayContaining([
        'settings/agent.json',
        'logs/agent.log',
        'events.ndjson',
        'network.json',
      ]),
    );
    expect(await readFile(join(home, 'agent.json'), 'utf8')).toContain(KEYS.eng);
    const bytes = bundle.tarBytes.toString('latin1');
    expect(bytes).not.toContain(KEYS.eng);
    expect(bytes).not.toContain(PASSWORD);
    expect(bundle.tarBytes.toString('utf8')).toContain('…0002');
  });

  it('sends it with --send to the portal given, with the remembered key, and prints the receipt', async () => {
    const home = await usedHome();
    const server = await startServer(receiptFor);
    // The remembered proxy asks for its password; the test server is reached directly.
    const args = ['report', '--home', home, '--send', '--portal', server.url, '--proxy', ''];
    const json = await runCliProcess([...args, '--json']);
    expect(json.code).toBe(0);
    const [result] = ndjson(json.stdout) as { id: string; path: string }[];
    expect(result).toMatchObject({ outcome: 'reported', sent: true, receipt: { id: result!.id } });
    const [upload] = server.received;
    expect(upload!.headers).toMatchObject({
      'x-provisim-license-key': KEYS.eng,
      'x-provisim-report-id': result!.id,
    });
    expect(upload!.body.equals(await readFile(result!.path))).toBe(true);

    const text = await runCliProcess(args);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^Problem report PR-\d{8}-[0-9A-F]{8} \(.+\): .+\.tar\.gz\nSent to the portal: received /,
    );
  });

  it('keeps the bundle and says where when the portal refuses it, exiting 1 with its code', async () => {
    const home = await usedHome();
    const server = await startServer(() => ({
      status: 413,
      body: { error: { code: 'REPORT_TOO_LARGE', message: 'too large' } },
    }));
    const args = ['report', '--home', home, '--send', '--portal', server.url, '--proxy', ''];
    const json = await runCliProcess([...args, '--json']);
    expect(json.code).toBe(1);
    const lines = ndjson(json.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      type: 'result',
      outcome: 'failed',
      error: { code: 'REPORT_TOO_LARGE' },
      sent: false,
    });
    expect(existsSync(String(lines[0]!.path))).toBe(true);

    const refused = await runCliProcess([
      'report',
      '--home',
      home,
      '--send',
      '--portal',
      await closedPortUrl(),
      '--proxy',
      '',
    ]);
    expect(refused.code).toBe(1);
    const path = /: (\S+\.tar\.gz)\n/.exec(refused.stdout)?.[1];
    expect(path && existsSync(path)).toBe(true);
    expect(refused.stderr).toContain('provisim: PORTAL_UNREACHABLE: ');
    expect(refused.stderr).toContain(`it is kept at ${path}`);
  });

  it('refuses --send without a portal and key with NOT_CONFIGURED, after writing the bundle', async () => {
    const home = await tempDir();
    const run = await runCliProcess(['report', '--home', home, '--send', '--json']);
    expect(run.code).toBe(1);
    const [result] = ndjson(run.stdout);
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'NOT_CONFIGURED' } });
    expect(existsSync(String(result!.path))).toBe(true);
  });
});
