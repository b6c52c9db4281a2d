import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { ProvisimCommand } from './provisim-bin.ts';
import type { BenchPath } from './shell-paths.ts';

const TIME = '/usr/bin/time';

/** Where `provisim run` checks in and with which key. */
export interface AgentTarget {
  readonly portalUrl: string;
  readonly licenseKey: string;
}

/** The arguments of `provisim run` with a home folder, as a user would type them. */
export function runArguments(target: AgentTarget, home: string): string[] {
  const portal = ['--portal', target.portalUrl, '--license', target.licenseKey];
  return ['run', ...portal, '--home', home, '--accept', '--json'];
}

/** The environment of an agent process: its home comes from --home only. */
export function agentEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PROVISIM_HOME: undefined, NO_COLOR: '1' };
}

/** The agent as the shipped CLI process: wall time, check-in to registered, and peak RSS. */
export function agentPath(provisim: ProvisimCommand, target: AgentTarget): BenchPath {
  return {
    label: 'provisim run (the CLI process, check-in to registered)',
    short: 'provisim run',
    run: async (dir) => {
      const home = join(dir, 'home');
      const rssFile = join(dir, 'peak-rss.txt');
      const args = runArguments(target, home);
      // %M: the peak RSS of the process tree from wait4, in KiB; not an in-process measure.
      const timed = existsSync(TIME);
      const argv = timed
        ? [TIME, '-f', '%M', '-o', rssFile, ...provisim.argv, ...args]
        : [...provisim.argv, ...args];
      await ensureBuilt(provisim);
      const started = performance.now();
      const ran = await promisify(execFile)(argv[0]!, argv.slice(1), {
        env: agentEnv(),
        maxBuffer: 16 << 20,
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      const seconds = (performance.now() - started) / 1000;
      const result = lastLine(ran.stdout);
      if (!result.includes('"outcome":"registered"')) {
        throw new Error(`provisim run did not register: ${result}\n${await logTail(home)}`);
      }
      const rssKiB = timed
        ? Number((await readFile(rssFile, 'utf8')).trim().split('\n').at(-1))
        : undefined;
      return { seconds, rssKiB };
    },
  };
}

/** Runs `provisim --help` untimed, so that a rebuild of the bin's bundle happens here. */
export async function ensureBuilt(provisim: ProvisimCommand): Promise<void> {
  // The bin rebuilds dist/node when a source changed since the last build (others edit this
  // tree); a build inside a timed run would be counted as provisioning.
  const [command, ...first] = provisim.argv;
  await promisify(execFile)(command!, [...first, '--help'], { env: agentEnv() });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

// The home is removed after the run, so the agent's own account of a failure is shown now.
async function logTail(home: string): Promise<string> {
  const logs = join(home, 'logs');
  const files = await readdir(logs).catch(() => []);
  const tails = await Promise.all(
    files.map(async (file) => {
      const lines = (await readFile(join(logs, file), 'utf8')).trim().split('\n');
      return `${file}:\n${lines.slice(-5).join('\n')}`;
    }),
  );
  return tails.join('\n');
}
