import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ndjson,
  runArgs,
  runCliProcess,
  startCli,
  type CliProcess,
} from '../helpers/cli-process.ts';
import { KEYS, fixtureOrg, makeFixtureImage } from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const running: CliProcess[] = [];
afterEach(async () => {
  for (const cli of running.splice(0)) {
    // A test that failed half-way leaves its portal running.
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
    await cli.done;
  }
});

describe('provisim portal --https', () => {
  it('prints its https URL, then the CA file that provisim run --ca-file takes', async () => {
    const dataDir = await tempDir();
    const image = await makeFixtureImage(dataDir, { name: 'TLS VM', arch: 'arm64' });
    const config = join(dataDir, 'org.json');
    const org = fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } });
    await writeFile(config, JSON.stringify(org));
    const portal = startCli([
      'portal',
      '--https',
      '--port',
      '0',
      '--config',
      config,
      '--data',
      dataDir,
    ]);
    running.push(portal);

    // Both waiters first: the two lines may arrive in one chunk.
    const [url, caFile] = await Promise.all([
      portal.waitForLine((line) => line.startsWith('https://')),
      portal.waitForLine((line) => line.endsWith('.pem')),
    ]);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(caFile).toBe(join(dataDir, 'tls', 'ca-cert.pem'));
    expect(new X509Certificate(await readFile(caFile)).ca).toBe(true);

    const home = await tempDir();
    const target = { portal: url, license: KEYS.eng, home };
    const run = await runCliProcess(runArgs(target, '--accept', '--json', '--ca-file', caFile));
    expect(run.code).toBe(0);
    expect(ndjson(run.stdout).at(-1)).toMatchObject({ outcome: 'registered' });

    portal.child.kill('SIGTERM');
    const done = await portal.done;
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(`${url}\n${caFile}\n`);
    expect(done.stderr).toContain(`--ca-file "${caFile}"`);
  });
});
