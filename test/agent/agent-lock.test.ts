import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
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

  it('takes over at once a fresh lock whose holder was killed', async () => {
    const home = await tempDir();
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e', holdLockScript(home)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(holder.stdout, 'data');
    await expect(acquireAgentLock(home)).rejects.toMatchObject({ code: 'AGENT_BUSY' });
    holder.kill('SIGKILL');
    await once(holder, 'close');
    const release = await acquireAgentLock(home);
    await release();
  });

  it('keeps a lock whose owner file names a running process', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'agent.lock'));
    await writeFile(
      join(home, 'agent.lock.owner'),
      JSON.stringify({ pid: process.pid, host: hostname() }),
    );
    await expect(acquireAgentLock(home)).rejects.toMatchObject({ code: 'AGENT_BUSY' });
  });

  it('keeps a lock whose owner is of another machine or unreadable', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'agent.lock'));
    await writeFile(
      join(home, 'agent.lock.owner'),
      JSON.stringify({ pid: 1 << 30, host: 'elsewhere' }),
    );
    await expect(acquireAgentLock(home)).rejects.toMatchObject({ code: 'AGENT_BUSY' });
    await writeFile(join(home, 'agent.lock.owner'), '{not json');
    await expect(acquireAgentLock(home)).rejects.toMatchObject({ code: 'AGENT_BUSY' });
  });

  it('reports a home that cannot hold a lock as a folder that cannot be written', async () => {
    const file = join(await tempDir(), 'file');
    await writeFile(file, '');
    await expect(acquireAgentLock(file)).rejects.toMatchObject({
      code: 'FOLDER_NOT_WRITABLE',
      message: expect.stringContaining(`The agent home folder ${file} cannot be written (EEXIST`),
    });
  });
});

// A separate process takes the lock, says so on stdout, and waits to be killed.
function holdLockScript(home: string): string {
  const module = JSON.stringify(
    new URL('../../electron/agent/agent-lock.ts', import.meta.url).href,
  );
  return `const { acquireAgentLock } = await import(${module});
await acquireAgentLock(${JSON.stringify(home)});
process.stdout.write('locked\\n');
setInterval(() => {}, 1 << 30);`;
}
