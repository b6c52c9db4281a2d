import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_ID_PATTERN } from '../../shared/protocol.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { errorOf, invoke, useAppFixture, valueOf } from './app-fixture.ts';

const { start, tempDir } = useAppFixture();

// A port nothing listens on: connecting is refused at once.
async function closedPortUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return `http://127.0.0.1:${port}`;
}

describe('report:create', () => {
  it('writes the bundle in the home and keeps it there when not asked to send', async () => {
    const { service, home } = await start();
    const report = valueOf(await invoke(service, 'report:create', { send: false }));
    expect(report).toMatchObject({ sent: false, sendError: null });
    expect(report.id).toMatch(REPORT_ID_PATTERN);
    expect(report.path).toBe(join(home, 'reports', `${report.id}.tar.gz`));
    expect((await stat(report.path)).size).toBe(report.sizeBytes);
  });

  it('sends it to the portal the app checks in with when asked', async () => {
    const { service } = await start();
    valueOf(await invoke(service, 'agent:connect'));
    const report = valueOf(await invoke(service, 'report:create', { send: true }));
    // sent is true only once the portal answered with its receipt (201).
    expect(report).toMatchObject({ sent: true, sendError: null });
  });

  it('answers ok with the kept bundle and the reason when sending fails', async () => {
    const home = await tempDir();
    // A portal a CLI run configured, which has gone away since.
    openAgentStore(home).update({ portalUrl: await closedPortUrl(), licenseKey: 'ACME-ENG-0002' });
    const { service } = await start({ home });
    const report = valueOf(await invoke(service, 'report:create', { send: true }));
    expect(report.sent).toBe(false);
    expect(report.sendError).toMatchObject({ code: 'PORTAL_UNREACHABLE', retryable: true });
    expect((await stat(report.path)).size).toBe(report.sizeBytes);
  });

  it('refuses a request that does not say whether to send', async () => {
    const { service } = await start();
    for (const payload of [undefined, {}, { send: 'yes' }, { send: true, to: 'admin' }]) {
      const error = errorOf(await service.handle('report:create', payload));
      expect(error.code, JSON.stringify(payload)).toBe('INVALID_PAYLOAD');
    }
  });
});
