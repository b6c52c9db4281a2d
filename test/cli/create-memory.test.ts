import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCliProcess } from '../helpers/cli-process.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

async function createWithMemory(memory: string) {
  const home = await tempDir();
  const args = ['create', '--name', 'Scratch', '--os', 'ubuntu-24.04', '--arch', 'arm64'];
  return runCliProcess([...args, '--memory', memory, '--home', home, '--json']);
}

async function ramOf(run: { stdout: string }): Promise<string | undefined> {
  const { vm } = ndjson(run.stdout).at(-1) as { vm: { path: string } };
  const config = await readFile(join(vm.path, 'config.pvs'), 'utf8');
  return /<RAM>(\d+)<\/RAM>/.exec(config)?.[1];
}

describe('provisim create --memory', () => {
  it('takes GB as the app does, and a bare number as MB as before', async () => {
    const inGb = await createWithMemory('8GB');
    expect(inGb.code).toBe(0);
    expect(await ramOf(inGb)).toBe('8192');
    const inMb = await createWithMemory('3072');
    expect(inMb.code).toBe(0);
    expect(await ramOf(inMb)).toBe('3072');
  });

  it('refuses a size that is no whole number of MB, as a usage error', async () => {
    for (const bad of ['8TB', '0.3MB', 'lots']) {
      const run = await createWithMemory(bad);
      expect(run.code, bad).toBe(2);
      expect(run.stderr).toContain('like 8GB or 512MB');
    }
  });
});
