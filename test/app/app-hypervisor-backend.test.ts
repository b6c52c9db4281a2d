import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { errorOf, invoke, useAppFixture, valueOf } from './app-fixture.ts';

const { start, tempDir } = useAppFixture();
const FAKE_PRLCTL = fileURLToPath(new URL('../fixtures/fake-prlctl/prlctl', import.meta.url));

/** An environment whose prlctl is the recording fake (calls in `<state>/calls.ndjson`), or none. */
async function prlctlEnv(installed: boolean) {
  const state = await tempDir();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PROVISIM_PRLCTL: installed ? FAKE_PRLCTL : join(state, 'no-prlctl'),
    FAKE_PRLCTL_STATE: state,
  };
  const calls = async () =>
    (await readFile(join(state, 'calls.ndjson'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean).length;
  return { env, calls };
}

describe('the virtualization backend setting', () => {
  it('starts on Automatic, which is Simulated on a Mac without Parallels Desktop', async () => {
    const { env } = await prlctlEnv(false);
    const { service } = await start({ env });
    const state = valueOf(await invoke(service, 'state:get'));
    expect(state.settings.backend).toBe('auto');
    expect(state.agent.backend).toBe('simulated');
  });

  it('is Parallels Desktop on Automatic when prlctl answers, asked once and not per state', async () => {
    const { env, calls } = await prlctlEnv(true);
    const { service } = await start({ env });
    expect(service.state().agent.backend).toBe('parallels');
    const afterStart = await calls();
    expect(afterStart).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) valueOf(await invoke(service, 'state:get'));
    expect(await calls()).toBe(afterStart);
  });

  it('refuses Parallels Desktop where it is not installed and saves nothing', async () => {
    const { env } = await prlctlEnv(false);
    const { service, home } = await start({ env });
    const before = service.state().settings;
    const error = errorOf(
      await invoke(service, 'settings:save', { ...before, backend: 'parallels' }),
    );
    expect(error.code).toBe('PARALLELS_NOT_INSTALLED');
    expect(ERROR_SENTENCES[error.code]).toMatch(/Settings/);
    expect(service.state().settings.backend).toBe('auto');
    expect(openAgentStore(home).get('backend')).toBeUndefined();
  });

  it('saves a choice in the agent store and uses it at once', async () => {
    const { env, calls } = await prlctlEnv(true);
    const { service, home } = await start({ env });
    const before = service.state().settings;
    const saved = valueOf(
      await invoke(service, 'settings:save', { ...before, backend: 'simulated' }),
    );
    expect(saved.backend).toBe('simulated');
    expect(openAgentStore(home).get('backend')).toBe('simulated');
    expect(service.state().agent.backend).toBe('simulated');
    const afterSimulated = await calls();
    valueOf(await invoke(service, 'settings:save', { ...before, backend: 'parallels' }));
    expect(service.state().agent.backend).toBe('parallels');
    expect(await calls()).toBeGreaterThan(afterSimulated);
    valueOf(await invoke(service, 'settings:save', { ...before, backend: 'auto' }));
    expect(openAgentStore(home).get('backend')).toBeUndefined();
  });

  it('keeps a saved Parallels choice after a restart without prlctl, and says so', async () => {
    const { env } = await prlctlEnv(false);
    const home = await tempDir();
    openAgentStore(home).set('backend', 'parallels');
    const { service } = await start({ home, env });
    expect(service.state().settings.backend).toBe('parallels');
    expect(service.state().agent.backend).toBe('parallels');
  });
});
