import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runArgs, runCliProcess, startCli } from '../helpers/cli-process.ts';
import { KEYS } from '../helpers/portal-fixture.ts';
import { useArmPortals } from '../helpers/arm-portals.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const portalWithImage = useArmPortals(tempDir);

describe('provisim CLI', () => {
  it('exits 2 on an unknown option', async () => {
    const run = await runCliProcess(['run', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--bogus');
  });

  it('says every refusal in one shape, whether commander or the command refuses it', async () => {
    const unknown = await runCliProcess(['run', '--bogus']);
    expect(unknown.stderr).toMatch(/^provisim: USAGE: unknown option '--bogus'\n/);
    const missing = await runCliProcess(['run', '--home', await tempDir(), '--accept']);
    expect(missing.stderr).toMatch(/^provisim: USAGE: Give --portal and --license/);
  });

  it('ends --json output with a failed result line on a usage error, exit 2', async () => {
    const run = await runCliProcess(['run', '--json', '--home', await tempDir()]);
    expect(run.code).toBe(2);
    expect(ndjson(run.stdout)).toEqual([
      {
        type: 'result',
        outcome: 'failed',
        error: { code: 'USAGE', message: expect.stringContaining('--portal') },
      },
    ]);
  });

  it('exits 2 when there is no terminal to ask and neither --accept nor --decline is given', async () => {
    const { portal } = await portalWithImage();
    const run = await runCliProcess(
      runArgs({ portal: portal.url, license: KEYS.eng, home: await tempDir() }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--accept or --decline');
  });

  it('prints NDJSON events ending with the result, exits 0, and lists the VM afterwards', async () => {
    const { portal, image } = await portalWithImage();
    const home = await tempDir();
    const run = await runCliProcess(
      runArgs({ portal: portal.url, license: KEYS.eng, home }, '--accept', '--json'),
    );
    expect(run.code).toBe(0);
    const lines = ndjson(run.stdout);
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      outcome: 'registered',
      vm: { name: 'CLI VM' },
    });
    expect(lines.slice(0, -1).map((l) => l.type)).toEqual(
      expect.arrayContaining([
        'checked-in',
        'invited',
        'accepted',
        'download-started',
        'verified',
        'registered',
      ]),
    );
    const vms = await runCliProcess(['vms', '--home', home, '--json']);
    expect(JSON.parse(vms.stdout)).toMatchObject([
      { name: 'CLI VM', source: { sha256: image.sha256 } },
    ]);
  });

  it('lists no VMs for a home never used, without making the folder', async () => {
    const home = join(await tempDir(), 'never-used');
    const vms = await runCliProcess(['vms', '--home', home]);
    expect(vms.code).toBe(0);
    expect(vms.stdout).toBe('No VMs registered.\n');
    expect(existsSync(home)).toBe(false);
  });

  it('exits 1 with the error code in the result for a revoked key', async () => {
    const { portal } = await portalWithImage();
    const run = await runCliProcess(
      runArgs(
        { portal: portal.url, license: KEYS.revoked, home: await tempDir() },
        '--accept',
        '--json',
      ),
    );
    expect(run.code).toBe(1);
    expect(ndjson(run.stdout).at(-1)).toMatchObject({
      outcome: 'failed',
      error: { code: 'LICENSE_REVOKED' },
    });
  });

  it('exits 0 with outcome declined, and create is refused for a corporate-only license', async () => {
    const { portal } = await portalWithImage();
    const home = await tempDir();
    const declined = await runCliProcess(
      runArgs({ portal: portal.url, license: KEYS.eng, home }, '--decline'),
    );
    expect(declined.code).toBe(0);
    expect(declined.stdout).toContain('provisim create');
    const created = await runCliProcess([
      'create',
      '--name',
      'Scratch',
      '--os',
      'ubuntu-24.04',
      '--home',
      home,
      '--arch',
      'arm64',
      '--json',
    ]);
    expect(created.code).toBe(0);
    expect(ndjson(created.stdout).at(-1)).toMatchObject({
      outcome: 'created',
      vm: { name: 'Scratch', source: { kind: 'assistant' } },
    });
    const strictHome = await tempDir();
    await runCliProcess(
      runArgs({ portal: portal.url, license: KEYS.strict, home: strictHome }, '--decline'),
    );
    const refused = await runCliProcess([
      'create',
      '--name',
      'Scratch',
      '--os',
      'ubuntu-24.04',
      '--home',
      strictHome,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('CORPORATE_ONLY');
  });

  it('refuses a --public-url that is no http or https base URL, as a usage error', async () => {
    for (const bad of ['portal.acme.test', 'ftp://portal.acme.test', 'http://p.test/?x=1']) {
      const run = await runCliProcess(['portal', '--port', '0', '--public-url', bad]);
      expect(run.code, bad).toBe(2);
      expect(run.stderr).toContain('--public-url');
    }
  });

  it('serves a configured portal, printing its URL on the first line, until SIGTERM', async () => {
    const dataDir = await tempDir();
    const config = join(dataDir, 'org.yaml');
    await writeFile(config, `licenseKeys:\n  - { key: K-1, kind: primary, state: active }\n`);
    const portal = startCli([
      'portal',
      ...['--port', '0', '--config', config, '--data', dataDir, '--admin-token', 't0k3n'],
    ]);
    const url = await portal.waitForLine((line) => line.startsWith('http://'));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/api/v1/devices`, {
      headers: { authorization: 'Bearer t0k3n' },
    });
    expect(response.status).toBe(200);
    const added = await fetch(`${url}/api/v1/faults`, {
      method: 'POST',
      headers: { authorization: 'Bearer t0k3n', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'latency', latencyMs: 10 }),
    });
    expect(added.status).toBe(201);
    // Down holds no socket; the portal must go on serving (down) until it is stopped.
    const down = await fetch(`${url}/api/v1/faults`, {
      method: 'POST',
      headers: { authorization: 'Bearer t0k3n', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'down' }),
    });
    expect(down.status).toBe(201);
    portal.child.kill('SIGTERM');
    const done = await portal.done;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('Portal stopped.');
  });

  it('names a busy port in one line with exit 2, and keeps the admin token for the start that serves', async () => {
    const dataDir = await tempDir();
    const config = join(dataDir, 'org.yaml');
    await writeFile(config, `licenseKeys:\n  - { key: K-1, kind: primary, state: active }\n`);
    const first = startCli(['portal', '--port', '0', '--config', config, '--data', dataDir]);
    const url = await first.waitForLine((line) => line.startsWith('http://'));
    const port = new URL(url).port;
    try {
      const other = await tempDir();
      const busy = await runCliProcess([
        'portal',
        '--port',
        port,
        '--config',
        config,
        '--data',
        other,
      ]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(busy.stderr).not.toMatch(/\n\s+at /);
      // The token made for the failed start was never shown: the next start makes and shows one.
      expect(existsSync(join(other, 'admin-token'))).toBe(false);
    } finally {
      first.child.kill('SIGTERM');
    }
    const done = await first.done;
    expect(done.stderr).toMatch(/Admin token \(shown only this once/);
    expect(done.stderr).toContain(`Admin pages: ${url}/admin`);
  });

  it('refuses an invalid org configuration with every problem listed and exit code 2', async () => {
    const dataDir = await tempDir();
    const config = join(dataDir, 'org.yaml');
    await writeFile(
      config,
      `licenseKeys:\n  - { key: K-1, kind: sublicense, state: dormant }\nuserGroups:\n  - { id: g, name: G, licenseKey: K-9 }\n`,
    );
    const run = await runCliProcess([
      'portal',
      '--port',
      '0',
      '--config',
      config,
      '--data',
      dataDir,
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('org.yaml');
    expect(run.stderr).toContain('state');
    expect(run.stderr).toContain('K-9');
  });

  it('makes a deterministic image with its shasum file', async () => {
    const out = await tempDir();
    const made = await runCliProcess(tinyImageArgs(out));
    expect(made.code).toBe(0);
    const [archive, shaLine, fileLine] = made.stdout.trim().split('\n');
    expect(existsSync(archive!)).toBe(true);
    expect(fileLine).toBe(`Checksum file: ${join(out, 'Tiny.sha256.txt')}`);
    const shaText = await readFile(join(out, 'Tiny.sha256.txt'), 'utf8');
    expect(shaText).toMatch(/^[0-9a-f]{64} {2}Tiny\.pvmp\n$/);
    // The checksum line names the archive, as `shasum -a 256` would, not the checksum file.
    expect(shaLine).toBe(`${shaText.split(' ')[0]}  ${archive}`);
    const again = await runCliProcess(tinyImageArgs(await tempDir()));
    expect(again.stdout.trim().split('\n')[1]!.split(' ')[0]).toBe(shaText.split(' ')[0]);
  });

  it('packs a registered VM for transfer, with a shasum file that matches the archive', async () => {
    const { portal } = await portalWithImage();
    const home = await tempDir();
    const run = await runCliProcess(
      runArgs({ portal: portal.url, license: KEYS.eng, home }, '--accept', '--json'),
    );
    const vm = ndjson(run.stdout).at(-1)!.vm as { path: string };
    // Into a folder that does not exist yet: pack makes it.
    const out = join(await tempDir(), 'transfer', 'CLI VM.pvmp');
    const packed = await runCliProcess(['pack', vm.path, '--out', out]);
    expect(packed.code).toBe(0);
    const shaText = await readFile(join(dirname(out), 'CLI VM.sha256.txt'), 'utf8');
    const actual = createHash('sha256')
      .update(await readFile(out))
      .digest('hex');
    expect(shaText).toBe(`${actual}  CLI VM.pvmp\n`);
    // A folder that cannot be made (a file in the way) is named, and nothing is written.
    const blocker = join(await tempDir(), 'a-file');
    await writeFile(blocker, 'not a folder');
    const refused = await runCliProcess(['pack', vm.path, '--out', join(blocker, 'x.pvmp')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^provisim: FOLDER_NOT_WRITABLE: .*folder of --out/);
  });

  it('exits 2 on a bad --size', async () => {
    const run = await runCliProcess([
      'make-image',
      '--name',
      'T',
      '--arch',
      'arm64',
      '--size',
      'lots',
      '--out',
      await tempDir(),
    ]);
    expect(run.code).toBe(2);
  });
});

function tinyImageArgs(out: string): string[] {
  return [
    'make-image',
    '--name',
    'Tiny',
    '--arch',
    'x86_64',
    '--size',
    '64KiB',
    '--out',
    out,
    '--seed',
    's',
  ];
}
