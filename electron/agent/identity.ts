import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
// A JSON import, so bundlers (the desktop app, the benchmark) inline the version.
import packageJson from '../../package.json' with { type: 'json' };
import type { AgentStore } from './agent-store.ts';

/** Who this agent is, as it introduces itself to the portal. */
export interface AgentIdentity {
  deviceId: string;
  hostname: string;
  serialNumber: string;
  arch: Arch;
  agentVersion: string;
}

// Letters and digits of Apple's 10-character serial numbers (no I or O, which read as 1 and 0).
const SERIAL_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

/** A serial number in the form of a Mac's, from `draw` (values 0..1); random by default. */
export function randomSerialNumber(draw: () => number = Math.random): string {
  return Array.from(
    { length: 10 },
    () => SERIAL_ALPHABET[Math.floor(draw() * SERIAL_ALPHABET.length)]!,
  ).join('');
}

/** The agent version from package.json. */
export function agentVersion(): string {
  return packageJson.version;
}

/** Maps a Node `process.arch` (and whether Rosetta translates us) to a portal arch. */
export function mapHostArch(nodeArch: string, translated = false): Arch {
  // Under Rosetta an x64 Node reports x64 on an Apple silicon Mac: the host is still arm64.
  if (nodeArch === 'arm64' || (nodeArch === 'x64' && translated)) return 'arm64';
  if (nodeArch === 'x64') return 'x86_64';
  throw new ProvisimError('USAGE', {
    message: `This CPU architecture (${nodeArch}) is not supported. Pass --arch arm64 or --arch x86_64.`,
    details: { nodeArch },
  });
}

/** Whether this darwin process runs translated by Rosetta (`sysctl.proc_translated` = 1). */
export function isRosettaTranslated(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'darwin') return false;
  try {
    const out = execFileSync('sysctl', ['-n', 'sysctl.proc_translated'], {
      encoding: 'utf8',
      timeout: 2_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.trim() === '1';
  } catch {
    // Intel Macs do not know the key: not translated.
    return false;
  }
}

let hostArch: Arch | undefined;

/** The CPU architecture of this machine (cached after the first call). */
export function detectHostArch(): Arch {
  hostArch ??= mapHostArch(process.arch, process.arch === 'x64' && isRosettaTranslated());
  return hostArch;
}

/** This agent's identity; creates and persists the device id on first use. */
export function loadIdentity(
  store: AgentStore,
  options: { archOverride?: Arch; hostname?: string; serialNumber?: string } = {},
): AgentIdentity {
  let deviceId = store.get('deviceId');
  if (deviceId === undefined) {
    deviceId = randomUUID();
    store.set('deviceId', deviceId);
  }
  let serialNumber = options.serialNumber ?? store.get('serialNumber');
  if (serialNumber === undefined) {
    serialNumber = randomSerialNumber();
    store.set('serialNumber', serialNumber);
  }
  return {
    deviceId,
    serialNumber,
    hostname: options.hostname ?? (hostname().slice(0, 255) || 'unknown-host'),
    arch: options.archOverride ?? store.get('archOverride') ?? detectHostArch(),
    agentVersion: agentVersion(),
  };
}
