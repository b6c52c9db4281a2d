import type { BackendChoice } from '../../shared/agent-store-schema.ts';
import type { Arch } from '../../shared/protocol.ts';
import type { AgentStore } from './agent-store.ts';
import { parsePortalUrl } from './portal-errors.ts';
import { createTransport, type Transport } from './transport.ts';

/** Everything an agent job runs with, resolved once at the edge (a CLI command, the app's settings). */
export interface AgentConfig {
  readonly portalUrl: string;
  readonly licenseKey: string;
  /** The architecture to report instead of this Mac's. */
  readonly arch?: Arch;
  /** The host name to report instead of this Mac's (a simulated Mac of a fleet). */
  readonly hostname?: string;
  /** The serial number to report instead of the one made for this home (a Mac of a fleet). */
  readonly serialNumber?: string;
  /** A PEM file of extra CAs to trust (portal and image servers) beside the system's. */
  readonly caFile?: string;
  /** An HTTP proxy for the portal and the images; else HTTPS_PROXY/HTTP_PROXY/NO_PROXY. */
  readonly proxyUrl?: string;
  /** Where VMs are placed; default `<home>/Parallels`. */
  readonly vmDir?: string;
  /** Which hypervisor registers VMs (default `auto`: Parallels Desktop when prlctl answers). */
  readonly backend?: BackendChoice;
  /** Wait for the disk on every event queued (default). A fleet's Macs do not: see Outbox. */
  readonly fsyncEvents?: boolean;
}

/** The settings a command gives, each falling back on the one remembered in the home folder. */
export function configFrom(store: AgentStore, given: Partial<AgentConfig>): Partial<AgentConfig> {
  const saved = store.read();
  return {
    portalUrl: given.portalUrl ?? saved.portalUrl,
    licenseKey: given.licenseKey ?? saved.licenseKey,
    arch: given.arch,
    hostname: given.hostname,
    serialNumber: given.serialNumber,
    caFile: given.caFile ?? saved.caFile,
    proxyUrl: given.proxyUrl ?? saved.proxyUrl,
    vmDir: given.vmDir ?? saved.vmDir,
    backend: given.backend ?? saved.backend,
  };
}

/** Whether a config names a portal and a license key, so that a job can check in. */
export function canCheckIn(config: Partial<AgentConfig>): config is AgentConfig {
  return Boolean(config.portalUrl && config.licenseKey);
}

/**
 * Checks a config before it is remembered: USAGE for a bad portal URL, CA file or proxy. Returns
 * the transport it built, so the job that follows reads the CA file no second time.
 */
export function checkConfig(config: AgentConfig): Transport {
  parsePortalUrl(config.portalUrl);
  return createTransport(config);
}

/** Remembers a checked config's connection in the home folder, for the next command to fall back on. */
export function rememberConfig(store: AgentStore, config: AgentConfig): void {
  const { portalUrl, licenseKey, caFile, proxyUrl, backend } = config;
  // A config that names no backend (not built by configFrom) leaves the remembered one alone.
  store.update({ portalUrl, licenseKey, caFile, proxyUrl, ...(backend ? { backend } : {}) });
}
