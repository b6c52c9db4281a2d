import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Paths of everything the agent keeps under its home folder. */
export interface HomeLayout {
  readonly home: string;
  /** The settings store conf writes (configName `agent`). */
  readonly store: string;
  /** The event outbox store (configName `outbox`). */
  readonly outbox: string;
  readonly downloads: string;
  readonly logs: string;
  readonly defaultVmDir: string;
  /** The folder the agent lock protects. */
  readonly lockTarget: string;
  /** The lock directory proper-lockfile creates for `lockTarget`. */
  readonly lockFile: string;
}

/** The agent home: the explicit folder, else `$PROVISIM_HOME`, else `~/.provisim`. */
export function resolveHome(explicit?: string): string {
  const chosen =
    explicit?.trim() || process.env.PROVISIM_HOME?.trim() || join(homedir(), '.provisim');
  return resolve(chosen);
}

/** The paths inside an agent home. */
export function homeLayout(home: string): HomeLayout {
  const root = resolve(home);
  return {
    home: root,
    store: join(root, 'agent.json'),
    outbox: join(root, 'outbox.json'),
    downloads: join(root, 'downloads'),
    logs: join(root, 'logs'),
    defaultVmDir: join(root, 'Parallels'),
    lockTarget: root,
    lockFile: join(root, 'agent.lock'),
  };
}
