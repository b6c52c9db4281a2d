import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliProcess, startCli, type CliRun } from '../../helpers/cli-process.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';

const tempDir = useTempDirs();

/** Runs `provisim portal` on a data folder, calls `use` with its URL, then stops it. */
async function servePortal(dataDir: string, use: (url: string) => Promise<void>): Promise<CliRun> {
  const config = join(dataDir, 'org.yaml');
  const portal = startCli(['portal', '--port', '0', '--config', config, '--data', dataDir]);
  const url = await portal.waitForLine((line) => line.startsWith('http://'));
  try {
    await use(url);
  } finally {
    portal.child.kill('SIGTERM');
  }
  const done = await portal.done;
  expect(done.code).toBe(0);
  return done;
}

describe('provisim portal and the admin token', () => {
  it('prints a new token once, then only says where it is stored', async () => {
    const dataDir = await tempDir();
    await writeFile(
      join(dataDir, 'org.yaml'),
      'licenseKeys:\n  - { key: K-1, kind: primary }\n  - { key: K-2, kind: sublicense }\n',
    );
    const tokenFile = join(dataDir, 'admin-token');
    let token = '';
    const first = await servePortal(dataDir, async (url) => {
      token = (await readFile(tokenFile, 'utf8')).trim();
      const added = await fetch(`${url}/api/v1/admin/user-groups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'sales', name: 'Sales', licenseKey: 'K-2' }),
      });
      expect(added.status).toBe(201);
    });
    expect(first.stderr).toContain(
      `Admin token (shown only this once, stored in ${tokenFile}): ${token}`,
    );
    expect(first.stdout).not.toContain(token);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);

    const second = await servePortal(dataDir, async (url) => {
      const groups = await fetch(`${url}/api/v1/admin/user-groups`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(((await groups.json()) as { userGroups: unknown[] }).userGroups).toHaveLength(1);
    });
    expect(second.stderr).toContain(`Admin token: stored in ${tokenFile}.`);
    expect(second.stderr).not.toContain(token);
    expect(second.stderr).toMatch(/Organisation loaded from .*org-state\.json/);
  });

  it('uses --admin-token instead of the stored one, printing neither', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'org.yaml'), 'licenseKeys:\n  - { key: K-1, kind: primary }\n');
    const config = join(dataDir, 'org.yaml');
    const portal = startCli([
      'portal',
      ...['--port', '0', '--config', config, '--data', dataDir, '--admin-token', 'given-1'],
    ]);
    const url = await portal.waitForLine((line) => line.startsWith('http://'));
    const overview = await fetch(`${url}/api/v1/admin/overview`, {
      headers: { authorization: 'Bearer given-1' },
    });
    expect(overview.status).toBe(200);
    portal.child.kill('SIGTERM');
    const done = await portal.done;
    expect(done.stderr).toContain('Admin token: the one given with --admin-token.');
    expect(done.stderr).not.toContain('given-1');
  });

  it('refuses to start on a damaged state file with exit code 1 and what to do', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'org.yaml'), 'licenseKeys:\n  - { key: K-1, kind: primary }\n');
    await writeFile(join(dataDir, 'org-state.json'), '{');
    const run = await startCli([
      'portal',
      ...['--port', '0', '--config', join(dataDir, 'org.yaml'), '--data', dataDir],
    ]).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/org-state\.json cannot be loaded: it is not valid JSON/);
  });

  it('keeps the one-Mac demo quiet about a token its short-lived portal has no use for', async () => {
    const home = await tempDir();
    const demo = (size: string) =>
      runCliProcess(['demo', '--home', home, '--size', size, '--arch', 'arm64']);
    const first = await demo('1MiB');
    expect(first.code).toBe(0);
    const token = (await readFile(join(home, 'demo-portal', 'admin-token'), 'utf8')).trim();
    expect(first.stderr).not.toContain(token);
    expect(first.stderr).not.toMatch(/Admin token/);
    expect(first.stderr).not.toMatch(/serves the organisation saved/);
    const second = await demo('2MiB');
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain(token);
    expect(second.stderr).toMatch(
      /serves the organisation saved in .*org-state\.json .*delete that file/,
    );
  });
});
