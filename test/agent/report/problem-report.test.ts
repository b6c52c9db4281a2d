import { appendFile, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_ID_PATTERN } from '../../../shared/protocol.ts';
import { rememberConfig } from '../../../electron/agent/agent-config.ts';
import { openAgentStore } from '../../../electron/agent/agent-store.ts';
import { writeResumeState } from '../../../electron/agent/download/resume-state.ts';
import { agentVersion } from '../../../electron/agent/identity.ts';
import { closeLoggers } from '../../../electron/agent/logger.ts';
import { createProblemReport } from '../../../electron/agent/report/problem-report.ts';
import { ensureAdminToken } from '../../../electron/portal/admin/admin-token.ts';
import { useAgentFixture } from '../../helpers/agent-fixture.ts';
import { startBlackHole } from '../../helpers/black-hole.ts';
import { useForwardProxies } from '../../helpers/forward-proxy.ts';
import { KEYS } from '../../helpers/portal-fixture.ts';
import { partsOf, readBundle } from './bundle-reader.ts';

const { setup, run, tempDir } = useAgentFixture();
const startProxy = useForwardProxies();
const PASSWORD = 'Pr0xy:p@ss/w0rd';

/** Every file of a home as one string: what the report is made from. */
async function homeText(home: string): Promise<string> {
  const files = await readdir(home, { recursive: true, withFileTypes: true });
  const texts = files
    .filter((file) => file.isFile())
    .map((file) => readFile(join(file.parentPath, file.name), 'utf8'));
  return (await Promise.all(texts)).join('\n');
}

describe('createProblemReport', () => {
  it("bundles a real agent run's home, every part in one folder named by the ID, no secret in any byte", async () => {
    const { home, portal } = await setup();
    const proxy = await startProxy({ user: 'agent', password: PASSWORD });
    const proxyUrl = proxy.urlWith('agent', PASSWORD);
    expect((await run(portal, home, { proxyUrl }).result).outcome).toBe('registered');
    rememberConfig(openAgentStore(home), { portalUrl: portal.url, licenseKey: KEYS.eng, proxyUrl });
    await mkdir(join(home, 'demo-portal'));
    const { token } = await ensureAdminToken(join(home, 'demo-portal'));
    await closeLoggers();
    // Secrets that leaked into a log, and a resume state of a download that was cut off.
    const leak = { msg: `key ${KEYS.eng} token ${token} proxy ${proxyUrl} password ${PASSWORD}` };
    await appendFile(join(home, 'logs', 'agent.log'), `${JSON.stringify(leak)}\n`);
    const state = { url: `${portal.url}/images/x.pvmp`, sha256: 'a'.repeat(64), total: 10 };
    await writeResumeState(join(home, 'downloads', `${'a'.repeat(64)}.json`), state);
    const before = await homeText(home);
    for (const secret of [KEYS.eng, token, encodeURIComponent(PASSWORD)]) {
      expect(before).toContain(secret);
    }
    proxy.seen.length = 0;

    const outDir = join(await tempDir(), 'out');
    const report = await createProblemReport({ home, outDir, backend: 'simulated' });

    expect(report.id).toMatch(REPORT_ID_PATTERN);
    expect(report.path).toBe(join(outDir, `${report.id}.tar.gz`));
    expect(report.sizeBytes).toBe((await stat(report.path)).size);
    expect(await readdir(outDir)).toEqual([`${report.id}.tar.gz`]);
    const bundle = await readBundle(report.path);
    expect(partsOf(bundle, report.id)).toEqual([
      'README.txt',
      `downloads/${'a'.repeat(64)}.json`,
      'environment.json',
      'events.ndjson',
      'logs/agent.log',
      'network.json',
      'outbox.json',
      'settings/agent.json',
    ]);
    const part = (path: string) => bundle.entries.get(`${report.id}/${path}`)!;

    const settings = JSON.parse(part('settings/agent.json')) as {
      licenseKey: string;
      proxyUrl: string;
      policyCache: { licenseKey: string };
    };
    expect(settings.licenseKey).toBe('…0002');
    expect(settings.policyCache.licenseKey).toBe('…0002');
    expect(settings.proxyUrl).toBe(`${proxy.url.replace('//', '//agent@')}/`);
    const events: { id: string; type: string; at: string }[] = part('events.ndjson')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['checked-in', 'accepted', 'verified', 'registered']),
    );
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    const times = events.map((event) => Date.parse(event.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(JSON.parse(part('environment.json'))).toMatchObject({
      versions: { agent: agentVersion(), node: process.versions.node },
      backend: { inUse: 'simulated', setting: 'auto' },
      disk: { home: { path: home, freeBytes: expect.any(Number) } },
    });
    expect(JSON.parse(part('network.json'))).toMatchObject({
      portalUrl: portal.url,
      proxy: { url: `${proxy.url.replace('//', '//agent@')}/`, source: 'the proxy setting' },
      portal: { ok: true, status: expect.any(Number) },
      tls: { ok: false, skipped: 'the portal is not https' },
    });
    // The portal check took the agent's proxy, with its credentials.
    expect(proxy.seen).toEqual([`CONNECT ${new URL(portal.url).host}`]);
    for (const path of partsOf(bundle, report.id).filter((p) => p !== 'README.txt')) {
      expect(part('README.txt')).toContain(path);
    }

    const bytes = bundle.tarBytes.toString('latin1');
    for (const secret of [KEYS.eng, token, PASSWORD, encodeURIComponent(PASSWORD)]) {
      expect(bytes).not.toContain(secret);
    }
    expect(bundle.tarBytes.toString('utf8')).toContain('…0002');
  });

  it('keeps the last 500 events, each once, oldest first, from the logs and the outbox', async () => {
    const home = await tempDir();
    const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
    const event = (i: number) => ({
      id: `event-${i}`,
      type: 'accepted',
      at: at(i),
      goldenImageId: 'g',
    });
    await mkdir(join(home, 'logs'));
    const logged = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ level: 30, event: event(i) }),
    );
    await writeFile(join(home, 'logs', 'agent.log'), `${logged.join('\n')}\nnot json\n`);
    const queued = Array.from({ length: 300 }, (_, i) => event(i + 350));
    await writeFile(join(home, 'outbox.json'), JSON.stringify({ events: queued.reverse() }));

    const report = await createProblemReport({ home });

    expect(report.path).toBe(join(home, 'reports', `${report.id}.tar.gz`));
    const bundle = await readBundle(report.path);
    const lines = bundle.entries.get(`${report.id}/events.ndjson`)!.trim().split('\n');
    const ids = lines.map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toEqual(Array.from({ length: 500 }, (_, i) => `event-${i + 150}`));
    // No agent.json yet: noted in the manifest, not fatal.
    expect(bundle.entries.get(`${report.id}/README.txt`)).toContain('no agent.json');
  });

  it('keeps the end of a large log, from a whole line, and says how much was left out', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'logs'));
    const line = `${JSON.stringify({ level: 30, msg: 'x'.repeat(1000) })}\n`;
    await writeFile(join(home, 'logs', 'agent.log'), line.repeat(5000));
    const report = await createProblemReport({ home });
    const bundle = await readBundle(report.path);
    const log = bundle.entries.get(`${report.id}/logs/agent.log`)!;
    expect(log.length).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(log.length).toBeGreaterThan(4 * 1024 * 1024 - line.length);
    expect(log.startsWith(line)).toBe(true);
    expect(bundle.entries.get(`${report.id}/README.txt`)).toMatch(/first \d+ bytes left out/);
  });

  it('leaves nothing in the folder when aborted half-way (during the network checks)', async () => {
    const home = await tempDir();
    const hole = await startBlackHole();
    try {
      openAgentStore(home).update({ portalUrl: hole.url, licenseKey: KEYS.eng });
      const outDir = join(await tempDir(), 'out');
      const controller = new AbortController();
      const connected = hole.nextConnection();
      const report = createProblemReport({ home, outDir, signal: controller.signal });
      await connected;
      controller.abort();
      await expect(report).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(await readdir(outDir)).toEqual([]);
    } finally {
      await hole.close();
    }
  });

  it('refuses an out folder that cannot be made with FOLDER_NOT_WRITABLE, leaving nothing', async () => {
    const home = await tempDir();
    const file = join(await tempDir(), 'a-file');
    await writeFile(file, '');
    const outDir = join(file, 'reports');
    await expect(createProblemReport({ home, outDir })).rejects.toMatchObject({
      code: 'FOLDER_NOT_WRITABLE',
    });
    expect(await readFile(file, 'utf8')).toBe('');
  });
});
