import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { ndjson, runArgs, runCliProcess } from '../helpers/cli-process.ts';
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

// Clears the screen, sets the window title, rings, a one-character CSI (C1), a right-to-left
// override and an isolate, a NEL (C1 line break) and a newline that would forge a line.
const NAME =
  'Corp \u001b[2J\u001b]0;pwned\u0007VM \u009b31m\u202eexe.txt\u2066x\u2069\u0085\nVM registered: fake';
const DESCRIPTION = 'First line\u001b[31m red\nsecond line\u202d \u2028end';
// eslint-disable-next-line no-control-regex -- raw control characters are what must not appear
const RAW_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- raw control characters are what must not appear
const RAW_IN_JSON = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

async function hostilePortal() {
  const dataDir = await tempDir();
  const image = await makeFixtureImage(dataDir, { name: 'Tty VM', arch: 'arm64' });
  const org = fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } });
  const portal = await startFixturePortal(dataDir, {
    ...org,
    goldenImages: org.goldenImages.map((g) => ({ ...g, name: NAME, description: DESCRIPTION })),
  });
  portals.push(portal);
  return { target: { portal: portal.url, license: KEYS.eng, home: await tempDir() } };
}

describe('portal text on the terminal', () => {
  it('reaches run and vms output with every control character escaped, one line per row', async () => {
    const { target } = await hostilePortal();
    const run = await runCliProcess(runArgs(target, '--accept'));
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(RAW_IN_TEXT);
    expect(run.stderr).toContain('Invited to download "Corp \\x1b[2J\\x1b]0;pwned\\x07VM');
    const vms = await runCliProcess(['vms', '--home', target.home]);
    expect(vms.stdout).not.toMatch(RAW_IN_TEXT);
    const rows = vms.stdout.trimEnd().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toBe('NAME\tARCH\tSTATE\tSOURCE\tFOLDER');
    expect(rows[1]).toContain(
      'golden image "Corp \\x1b[2J\\x1b]0;pwned\\x07VM \\x9b31m\\u202eexe.txt\\u2066x\\u2069\\x85\\nVM registered: fake"',
    );
  });

  it('reaches --json lines escaped as \\u, parsing back to the exact text', async () => {
    const { target } = await hostilePortal();
    const run = await runCliProcess(runArgs(target, '--accept', '--json'));
    expect(run.code).toBe(0);
    for (const line of run.stdout.trimEnd().split('\n')) expect(line).not.toMatch(RAW_IN_JSON);
    expect(run.stdout).toContain('\\u001b[2J\\u001b]0;pwned\\u0007VM \\u009b31m\\u202eexe');
    const invited = ndjson(run.stdout).find((line) => line.type === 'invited');
    expect(invited?.name).toBe(NAME);
    const vms = await runCliProcess(['vms', '--home', target.home, '--json']);
    expect(vms.stdout.replaceAll('\n', ' ')).not.toMatch(RAW_IN_JSON);
    const [vm] = JSON.parse(vms.stdout) as { source: { goldenImageName: string } }[];
    expect(vm?.source.goldenImageName).toBe(NAME);
  });

  it('reaches the invitation prompt on a terminal escaped, and the prompt still works', async () => {
    const { target } = await hostilePortal();
    const command = [process.execPath, bin, ...runArgs(target)].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], { stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const before = output;
      output += chunk.toString();
      if (!before.includes('Download it now?') && output.includes('Download it now?')) {
        child.stdin.write('\r');
      }
    });
    const code = await new Promise((done) => child.on('close', done));
    expect(code).toBe(0);
    // The terminal turns each newline into CR LF.
    const offer = output.slice(output.indexOf('Your organisation offers')).replaceAll('\r\n', '\n');
    expect(offer).toContain(
      'Your organisation offers a corporate VM: Corp \\x1b[2J\\x1b]0;pwned\\x07VM \\x9b31m\\u202eexe.txt',
    );
    expect(offer).toContain('  First line\\x1b[31m red\n  second line\\u202d');
    // The terminal's own sequences (readline, the progress bar) are there; the portal's are not.
    for (const raw of [
      '\u001b[2J',
      '\u001b]0;',
      '\u0007',
      '\u009b',
      '\u202e',
      '\u2066',
      '\u202d',
    ]) {
      expect(output).not.toContain(raw);
    }
    expect(output).toContain('VM registered: Tty VM');
  });
});
