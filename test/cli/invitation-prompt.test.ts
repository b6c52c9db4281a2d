import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { runArgs } from '../helpers/cli-process.ts';
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

/** Runs `provisim run` on a pseudo-terminal (util-linux `script`), typing each answer at its prompt. */
async function answerPrompts(
  answers: readonly (readonly [prompt: string, keys: string])[],
): Promise<{ code: number | null; output: string }> {
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
    ...runArgs({ portal: portal.url, license: KEYS.eng, home: await tempDir() }),
  ]
    .map((arg) => `'${arg}'`)
    .join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let next = 0;
  let searchFrom = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const answer = answers[next];
    const at = answer ? output.indexOf(answer[0], searchFrom) : -1;
    if (answer && at >= 0) {
      next += 1;
      searchFrom = at + answer[0].length;
      child.stdin.write(answer[1]);
    }
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { code, output };
}

describe('the invitation on a terminal', () => {
  it('shows the image and downloads on Enter', async () => {
    const { code, output } = await answerPrompts([['Download it now?', '\r']]);
    expect(output).toContain('Your organisation offers a corporate VM: Engineering VM');
    expect(output).toContain('VM registered: Tty VM');
    expect(code).toBe(0);
  });

  it('cancels with exit code 130 on Ctrl-C at the prompt', async () => {
    const { code, output } = await answerPrompts([['Download it now?', '\x03']]);
    expect(output).toContain('Stopped. Anything downloaded so far is kept: run again to continue.');
    expect(output).not.toContain('Failed');
    expect(code).toBe(130);
  });

  it('offers the Installation Assistant after a decline and creates the VM', async () => {
    const { code, output } = await answerPrompts([
      ['Download it now?', 'n\r'],
      ['Installation Assistant?', 'y\r'],
      ['Name [My VM]:', 'Scratch box\r'],
      ['Operating system:', '2\r'],
    ]);
    expect(output).toContain('Invitation declined');
    expect(output).toMatch(/VM created: Scratch box at .*Scratch box\.pvm/);
    expect(code).toBe(0);
  });
});
