import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { homeLayout, resolveHome } from '../../electron/agent/home-layout.ts';

describe('resolveHome', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('prefers the explicit folder', () => {
    vi.stubEnv('PROVISIM_HOME', '/tmp/from-env');
    expect(resolveHome('/tmp/explicit')).toBe(resolve('/tmp/explicit'));
  });

  it('falls back to $PROVISIM_HOME, then ~/.provisim', () => {
    vi.stubEnv('PROVISIM_HOME', '/tmp/from-env');
    expect(resolveHome()).toBe(resolve('/tmp/from-env'));
    vi.stubEnv('PROVISIM_HOME', '');
    expect(resolveHome()).toBe(join(homedir(), '.provisim'));
  });
});

describe('homeLayout', () => {
  it('puts everything under the home folder', () => {
    const layout = homeLayout('/tmp/h');
    expect(layout).toMatchObject({
      home: '/tmp/h',
      store: '/tmp/h/agent.json',
      downloads: '/tmp/h/downloads',
      logs: '/tmp/h/logs',
      defaultVmDir: '/tmp/h/Parallels',
      lockTarget: '/tmp/h',
    });
  });
});
