import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { VmRegistry } from '../../electron/agent/vm-registry.ts';
import { runCliProcess, startCli } from '../helpers/cli-process.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { writeSparseVm } from '../archive/helpers/sparse-vm.ts';

const tempDir = useTempDirs();
const GiB = 2 ** 30;

/** Makes a VM with `provisim create` in a fresh home; returns the home and the VM's folder. */
async function createdVm(disk = '64GiB') {
  const home = await tempDir();
  const vmDir = await tempDir();
  const args = ['create', '--home', home, '--vm-dir', vmDir, '--name', 'Box', '--os', 'fedora-40'];
  const made = await runCliProcess([...args, '--arch', 'arm64', '--disk', disk]);
  expect(made.code).toBe(0);
  return { home, vmDir, path: join(vmDir, 'Box.pvm') };
}

async function firstBytes(path: string, count: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(count), 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

describe('provisim pack', () => {
  it('compresses by default: a new 64 GB VM packs into a few kilobytes', async () => {
    const { home, vmDir, path } = await createdVm();
    const packed = await runCliProcess(['pack', path, '--home', home]);
    expect(packed.code).toBe(0);
    const [archive, shaLine, fileLine] = packed.stdout.trim().split('\n');
    expect(archive).toBe(join(vmDir, 'Box.pvmp'));
    expect(fileLine).toBe(`Checksum file: ${join(vmDir, 'Box.sha256.txt')}`);
    const sha = (await readFile(join(vmDir, 'Box.sha256.txt'), 'utf8')).split(' ')[0];
    expect(shaLine).toBe(`${sha}  ${archive}`);
    const bytes = await readFile(archive!);
    expect(bytes.length).toBeLessThan(64 * 1024);
    expect([...bytes.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    // No terminal: no progress bar drawn, only the line that says what is being read.
    expect(packed.stderr).toMatch(/(^|\n)Packing "Box": [\d.]+ kB to read \(Ctrl-C cancels\)\n$/);
    expect(packed.stderr).not.toContain('\u001b');
  });

  it('stores the data with --no-compress, still takes the old --gzip, and refuses both at once', async () => {
    const { home, path } = await createdVm('1MiB');
    const out = join(await tempDir(), 'Box.pvmp');
    expect(
      (await runCliProcess(['pack', path, '--home', home, '--no-compress', '--out', out])).code,
    ).toBe(0);
    expect((await firstBytes(out, 262)).subarray(257).toString()).toBe('ustar');
    expect((await runCliProcess(['pack', path, '--home', home, '--gzip', '--out', out])).code).toBe(
      0,
    );
    expect([...(await firstBytes(out, 2))]).toEqual([0x1f, 0x8b]);
    const both = await runCliProcess(['pack', path, '--home', home, '--gzip', '--no-compress']);
    expect(both.code).toBe(2);
  });

  it('refuses a VM the home lists as running with VM_RUNNING and writes nothing', async () => {
    const { home, vmDir, path } = await createdVm('1MiB');
    const store = openAgentStore(home);
    const vms = new VmRegistry(store).list();
    store.set(
      'vms',
      vms.map((vm) => ({ ...vm, state: 'running' as const })),
    );
    const refused = await runCliProcess(['pack', path, '--home', home]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'provisim: VM_RUNNING: "Box" is running. Shut it down first (Stop in the Control Center\'s VM list), then pack it again.\n',
    );
    expect(await readdir(vmDir)).toEqual(['Box.pvm']);
    // The same folder packs for a home that does not list it.
    expect((await runCliProcess(['pack', path, '--home', await tempDir()])).code).toBe(0);
  });

  it('stops on Ctrl-C mid-pack: exit 130, one line, and neither the partial nor a checksum file', async () => {
    const dir = await tempDir();
    const { path } = await writeSparseVm(dir, { diskBytes: 64 * GiB });
    const cli = startCli(['pack', path, '--home', await tempDir()]);
    await new Promise<void>((resolve) => {
      cli.child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Packing "Old Box"')) resolve();
      });
    });
    cli.child.kill('SIGINT');
    const run = await cli.done;
    expect(run.code).toBe(130);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /Packing "Old Box": [\d.]+ GB to read \(Ctrl-C cancels\)\nStopped\. Nothing was written: the partial archive was removed\.\n$/,
    );
    expect(await readdir(dir)).toEqual(['Old Box.pvm']);
  });
});
