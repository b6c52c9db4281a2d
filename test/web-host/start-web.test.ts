import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppService } from '../../electron/app/app-service.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
// As `npm run start:web` runs it: the bundle vitest's global setup built.
const entry = resolve(import.meta.dirname, '../../dist/node/start-web.mjs');

function startWeb(args: string[]) {
  const child = spawn(process.execPath, [entry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PROVISIM_HOME: undefined },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<string>((resolveLine, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolveLine(stdout.split('\n')[0]!);
    });
    child.on('close', () => reject(new Error(`ended before a line: ${stdout}${stderr}`)));
  });
  // Runs that end before printing are awaited through `done`; the line is then never asked for.
  firstLine.catch(() => undefined);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveEnd) =>
    child.on('close', (code) => resolveEnd({ code, stdout, stderr })),
  );
  return { child, firstLine, done };
}

describe('browser mode (start-web)', () => {
  it('prints its address with a new token in one line, and answers only that token', async () => {
    const home = await tempDir();
    // Its own page folder: whether dist/renderer was built before this test must not matter.
    const page = await tempDir();
    await writeFile(join(page, 'index.html'), '<!doctype html><title>Provisim</title>');
    const web = startWeb(['--home', home, '--static', page, '--demo-size', '256KiB']);
    let token: string;
    try {
      const line = await web.firstLine;
      expect(line).toMatch(/^Provisim is running; portal: embedded demo portal /);
      // The address ends the line, so that a terminal's link cannot take anything after it.
      const printed = /open (http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]{43})$/.exec(line);
      expect(printed).not.toBeNull();
      const [, url, printedToken] = printed!;
      token = printedToken!;
      const call = (headers: Record<string, string>) =>
        fetch(`${url}/api/invoke/state:get`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{}',
        });
      const bare = await call({});
      expect(bare.status).toBe(401);
      expect(await bare.json()).toMatchObject({ error: { code: 'ACCESS_TOKEN_INVALID' } });
      const res = await call({ authorization: `Bearer ${token}` });
      const body = await res.json();
      expect(body).toMatchObject({ ok: true, value: { agent: { embeddedPortal: true } } });
    } finally {
      web.child.kill('SIGINT');
    }
    const run = await web.done;
    expect(run.code).toBe(0);
    // Printed once, to the terminal that started it; never to the log on stderr.
    expect(run.stdout.split(token).length).toBe(2);
    expect(run.stderr).not.toContain(token);
  });

  it('exits 2 with its usage on a bad option', async () => {
    const run = await startWeb(['--port', 'eighty']).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage:');
  });

  it('exits 2 naming --demo-bandwidth when it is not a whole number of bytes per second', async () => {
    const run = await startWeb(['--demo-bandwidth', '1.5MB']).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--demo-bandwidth must be a whole number');
  });

  it('exits 1 naming AGENT_BUSY when another agent holds the home folder', async () => {
    const home = await tempDir();
    const service = await createAppService({
      home,
      detectedArch: 'arm64',
      embeddedPortal: { sizeBytes: 256 * 1024 },
    });
    try {
      const run = await startWeb(['--home', home]).done;
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^AGENT_BUSY: /);
    } finally {
      await service.close();
    }
  });
});
