import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { homeLayout, resolveHome } from '../../electron/agent/home-layout.ts';

// Any absolute folder will do; these are never created.
const fromEnv = join(tmpdir(), 'from-env');
const explicit = join(tmpdir(), 'explicit');
const home = join(tmpdir(), 'h');

describe('resolveHome', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('prefers the explicit folder', () => {
    vi.stubEnv('PROVISIM_HOME', fromEnv);
    expect(resolveHome(explicit)).toBe(resolve(explicit));
  });

  it('falls back to $PROVISIM_HOME, then ~/.provisim', () => {
    vi.stubEnv('PROVISIM_HOME', fromEnv);
    expect(resolveHome()).toBe(resolve(fromEnv));
    vi.stubEnv('PROVISIM_HOME', '');
    expect(resolveHome()).toBe(join(homedir(), '.provisim'));
  });
});

describe('homeLayout', () => {
  it('puts everything under the home folder', () => {
    const layout = homeLayout(home);
    expect(layout).toMatchObject({
      home,
      store: join(home, 'agent.json'),
      downloads: join(home, 'downloads'),
      logs: join(home, 'logs'),
      defaultVmDir: join(home, 'Parallels'),
      lockTarget: home,
    });
  });
});
