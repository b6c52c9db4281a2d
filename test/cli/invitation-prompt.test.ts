import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningPortal } from '../../electron/portal/server.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const bin = resolve(import.meta.dirname, '../../electron/cli/provisim.js');
const tempDir = useTempDirs();
const portals: RunningPortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((p) => p.close()));
});

/** Runs `provisim run` on a pseudo-terminal (util-linux `script`) and types `keys` at the prompt. */
async function answerPrompt(keys: string): Promise<{ code: number | null; output: string }> {
  const dataDir = await tempDir();
  const image = await makeFixtureImage(dataDir, { name: 'Tty VM', arch: 'arm64' });
  const portal = await startFixturePortal(
    dataDir,
    fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } }),
  );
  portals.push(portal);
  const command = [
    process.execPath,
    bin,
    'run',
    '--portal',
    portal.url,
    '--license',
    KEYS.eng,
    '--arch',
    'arm64',
    '--home',
    await tempDir(),
  ]
    .map((arg) => `'${arg}'`)
    .join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let typed = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (!typed && output.includes('Download it now?')) {
      typed = true;
      child.stdin.write(keys);
    }
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { code, output };
}

describe('the invitation on a terminal', () => {
  it('shows the image and downloads on Enter', async () => {
    const { code, output } = await answerPrompt('\r');
    expect(output).toContain('Your organisation offers a corporate VM: Engineering VM');
    expect(output).toContain('VM registered: Tty VM');
    expect(code).toBe(0);
  });

  it('cancels with exit code 130 on Ctrl-C at the prompt', async () => {
    const { code, output } = await answerPrompt('\x03');
    expect(output).toContain('Failed (CANCELLED)');
    expect(code).toBe(130);
  });
});
