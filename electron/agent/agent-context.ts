import type { Logger } from 'pino';
import type { Arch } from '../../shared/protocol.ts';
import { openAgentStore, type AgentStore } from './agent-store.ts';
import { loadIdentity, type AgentIdentity } from './identity.ts';
import { createComponentLogger } from './logger.ts';
import { Outbox } from './outbox.ts';
import { PortalClient } from './portal-client.ts';
import { createTransport, type Transport } from './transport.ts';

/** Where and how the agent talks to its portal. */
export interface AgentConnection {
  readonly portalUrl: string;
  readonly licenseKey: string;
  readonly caFile?: string;
  readonly proxyUrl?: string;
  /** The architecture to report instead of this Mac's. */
  readonly arch?: Arch;
}

/** What a job of the agent works with, assembled once per home and connection. */
export interface AgentContext {
  readonly home: string;
  readonly store: AgentStore;
  readonly identity: AgentIdentity;
  /** One transport for the portal and the image downloads: the CA file read once. */
  readonly transport: Transport;
  readonly client: PortalClient;
  readonly logger: Logger;
  readonly outbox: Outbox;
}

/**
 * Opens the agent context. The transport and the client come first, so a bad portal URL, CA file
 * or proxy fails here before the identity (or anything else) is written.
 */
export function openAgent(home: string, connection: AgentConnection): AgentContext {
  const { portalUrl, licenseKey, caFile, proxyUrl } = connection;
  const transport = createTransport({ caFile, proxyUrl });
  const client = new PortalClient({ portalUrl, transport });
  const store = openAgentStore(home);
  const identity = loadIdentity(store, { archOverride: connection.arch });
  const logger = createComponentLogger(home, 'agent');
  const outbox = new Outbox({ home, deviceId: identity.deviceId, licenseKey, client, logger });
  return { home, store, identity, transport, client, logger, outbox };
}
