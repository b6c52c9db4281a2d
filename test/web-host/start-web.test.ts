import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
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
  it('prints its URL in one line, answers on it, and stops cleanly on Ctrl-C', async () => {
    const home = await tempDir();
    const web = startWeb(['--home', home, '--demo-size', '256KiB']);
    try {
      const line = await web.firstLine;
      expect(line).toMatch(/^Provisim is running at http:\/\/127\.0\.0\.1:\d+\b.*embedded demo/);
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)![0];
      const res = await fetch(`${url}/api/invoke/state:get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const body = await res.json();
      expect(body).toMatchObject({ ok: true, value: { agent: { embeddedPortal: true } } });
    } finally {
      web.child.kill('SIGINT');
    }
    expect((await web.done).code).toBe(0);
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
