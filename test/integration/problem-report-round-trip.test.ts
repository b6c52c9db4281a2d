import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { startPortal, type RunningPortal } from '../../electron/portal/server.ts';
import { runArgs, runCliProcess } from '../helpers/cli-process.ts';
import { useForwardProxies } from '../helpers/forward-proxy.ts';
import { KEYS, fixtureOrg, makeFixtureImage } from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { adminApi } from '../portal/admin/admin-fixtures.ts';
import { resultOf } from '../crash/crash-fixture.ts';

const tempDir = useTempDirs();
const startProxy = useForwardProxies();
const portals: RunningPortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((p) => p.close()));
});

const PASSWORD = 'proxy-pass-7Qz';

describe('a problem report, end to end', () => {
  it('is made, sent, listed per Mac, downloaded byte for byte, and holds no secret', async () => {
    const home = await tempDir();
    // The portal's data folder in the home, as the app's embedded portal keeps its admin token.
    const dataDir = join(home, 'portal');
    const image = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
    const org = fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } });
    const portal = await startPortal({ dataDir, org, logger: false, persist: true });
    portals.push(portal);
    const token = portal.adminToken!.token;
    const proxy = await startProxy({ user: 'agent', password: PASSWORD });
    const target = { portal: portal.url, license: KEYS.eng, home };
    const proxyUrl = proxy.urlWith('agent', PASSWORD);
    const installed = await runCliProcess(
      runArgs(target, '--accept', '--proxy', proxyUrl, '--json'),
    );
    expect(resultOf(installed.stdout), installed.stderr).toMatchObject({ outcome: 'registered' });

    const reported = await runCliProcess(['report', '--home', home, '--send', '--json']);
    const line = resultOf(reported.stdout) as { id: string; path: string; sent: boolean };
    expect(line, reported.stderr).toMatchObject({ outcome: 'reported', sent: true });
    expect(reported.code).toBe(0);

    const deviceId = openAgentStore(home).get('deviceId')!;
    const listed = await adminApi(portal).get(`/reports?deviceId=${deviceId}`);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain(line.id);

    const download = await fetch(
      `${portal.url}/api/v1/admin/reports/${deviceId}/${line.id}/download`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.equals(await readFile(line.path))).toBe(true);

    const tar = gunzipSync(bytes).toString('latin1');
    expect(tar).toContain(`${line.id}/`);
    expect(tar).toContain('0002');
    for (const secret of [KEYS.eng, token, PASSWORD]) expect(tar).not.toContain(secret);
  });
});
