import type { Logger } from 'pino';
import type { AgentConfig } from './agent-config.ts';
import { openAgentStore, type AgentStore } from './agent-store.ts';
import { loadIdentity, type AgentIdentity } from './identity.ts';
import { createComponentLogger } from './logger.ts';
import { Outbox } from './outbox.ts';
import { PortalClient } from './portal-client.ts';
import { createTransport, type Transport } from './transport.ts';

/** What a job of the agent works with, assembled once per home and connection. */
export interface AgentContext {
  readonly home: string;
  readonly config: AgentConfig;
  readonly store: AgentStore;
  readonly identity: AgentIdentity;
  /** One transport for the portal and the image downloads: the CA file read once. */
  readonly transport: Transport;
  readonly client: PortalClient;
  readonly logger: Logger;
  readonly outbox: Outbox;
}

/**
 * Opens the agent context, with the transport the edge built when it checked the config. The
 * client comes first, so a bad portal URL, CA file or proxy fails before the identity is written.
 */
export function openAgent(
  home: string,
  config: AgentConfig,
  transport: Transport = createTransport(config),
): AgentContext {
  const client = new PortalClient({ portalUrl: config.portalUrl, transport });
  const store = openAgentStore(home);
  const identity = loadIdentity(store, {
    archOverride: config.arch,
    hostname: config.hostname,
    serialNumber: config.serialNumber,
  });
  const logger = createComponentLogger(home, 'agent');
  const { licenseKey } = config;
  const outbox = new Outbox({
    home,
    deviceId: identity.deviceId,
    licenseKey,
    client,
    logger,
    fsync: config.fsyncEvents,
  });
  return { home, config, store, identity, transport, client, logger, outbox };
}
