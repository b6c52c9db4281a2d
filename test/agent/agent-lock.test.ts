import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireAgentLock } from '../../electron/agent/agent-lock.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

describe('acquireAgentLock', () => {
  it('refuses a second holder with AGENT_BUSY until the first releases', async () => {
    const home = await tempDir();
    const release = await acquireAgentLock(home);
    expect(existsSync(join(home, 'agent.lock'))).toBe(true);
    await expect(acquireAgentLock(home)).rejects.toMatchObject({
      code: 'AGENT_BUSY',
      retryable: true,
    });
    await release();
    await release();
    const again = await acquireAgentLock(home);
    await again();
    expect(existsSync(join(home, 'agent.lock'))).toBe(false);
  });

  it('creates a missing home folder', async () => {
    const home = join(await tempDir(), 'nested', 'home');
    const release = await acquireAgentLock(home);
    await release();
  });

  it('takes over a lock left by a dead agent', async () => {
    const home = await tempDir();
    const lockDir = join(home, 'agent.lock');
    await mkdir(lockDir);
    const old = new Date(Date.now() - 60_000);
    await utimes(lockDir, old, old);
    const release = await acquireAgentLock(home);
    await expect(acquireAgentLock(home)).rejects.toMatchObject({ code: 'AGENT_BUSY' });
    await release();
  });

  it('respects a fresh lock of another process', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'agent.lock'));
    await expect(acquireAgentLock(home)).rejects.toMatchObject({ code: 'AGENT_BUSY' });
  });

  it('reports a home that cannot hold a lock as a usage error', async () => {
    const file = join(await tempDir(), 'file');
    await writeFile(file, '');
    await expect(acquireAgentLock(file)).rejects.toMatchObject({ code: 'USAGE' });
  });
});
