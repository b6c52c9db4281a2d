import { resolve } from 'node:path';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { canCheckIn, configFrom, type AgentConfig } from '../agent/agent-config.ts';
import type { AgentStore } from '../agent/agent-store.ts';

/** The connection options `run` and `checkin` take. */
export interface ConnectionFlags {
  readonly portal?: string;
  readonly license?: string;
  readonly caFile?: string;
  readonly proxy?: string;
  readonly arch?: Arch;
  readonly hostname?: string;
}

/**
 * The config a command connects with: its flags (and `extra`) over what the home folder
 * remembers; USAGE when neither names a portal and a license key.
 */
export function connectionConfig(
  store: AgentStore,
  flags: ConnectionFlags,
  extra: Partial<AgentConfig> = {},
): AgentConfig {
  const config = configFrom(store, {
    portalUrl: flags.portal,
    licenseKey: flags.license,
    // Remembered as an absolute path, so a later run from another folder finds it.
    caFile: flags.caFile === undefined ? undefined : resolve(flags.caFile),
    proxyUrl: flags.proxy,
    arch: flags.arch,
    hostname: flags.hostname,
    ...extra,
  });
  if (!canCheckIn(config)) {
    throw new ProvisimError('USAGE', {
      message:
        'Give --portal and --license the first time; they are remembered in the home folder.',
    });
  }
  return config;
}
