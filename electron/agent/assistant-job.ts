import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import { failedResult, type CreateResult } from '../../shared/run-result.ts';
import type { AgentEvent } from '../../shared/protocol.ts';
import { acquireAgentLock } from './agent-lock.ts';
import { openAgentStore, type AgentStore } from './agent-store.ts';
import { checkInAndCache } from './check-in.ts';
import { homeLayout } from './home-layout.ts';
import { loadIdentity, type AgentIdentity } from './identity.ts';
import { createVmFromScratch } from './installation-assistant.ts';
import { JobReporter } from './job-reporter.ts';
import { createComponentLogger } from './logger.ts';
import { Outbox } from './outbox.ts';
import { PortalClient } from './portal-client.ts';
import { createTransport } from './transport.ts';
import { registerCommitted } from './register-vm.ts';
import {
  clearPendingRegistration,
  notePendingRegistration,
  recoverPendingRegistration,
} from './pending-registration.ts';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import type { VmConfig } from '../archive/vm-config.ts';
import { basename } from 'node:path';
import { VmRegistry } from './vm-registry.ts';

/** Options of the Installation Assistant action. */
export interface AssistantActionOptions {
  readonly home: string;
  readonly name: string;
  readonly os: string;
  readonly arch?: Arch;
  readonly vmDir?: string;
  readonly cpus?: number;
  readonly memoryMb?: number;
  readonly diskSizeBytes?: number;
  /** The caller already holds the home folder's agent lock (the desktop app holds it while it runs). */
  readonly lockHeld?: boolean;
  readonly onEvent?: (event: AgentEvent) => void;
}

/** Creates a VM from scratch, unless the policy allows corporate VMs only. */
export async function runAssistantAction(options: AssistantActionOptions): Promise<CreateResult> {
  let release: (() => Promise<void>) | undefined;
  try {
    if (!options.lockHeld) release = await acquireAgentLock(options.home);
    const store = openAgentStore(options.home);
    const identity = loadIdentity(store, { archOverride: options.arch });
    const logger = createComponentLogger(options.home, 'assistant');
    const portalUrl = store.get('portalUrl');
    const licenseKey = store.get('licenseKey');
    // Without a key there is no policy to ask for, and the portal would refuse the event.
    const client =
      portalUrl && licenseKey
        ? new PortalClient({
            portalUrl,
            transport: createTransport({
              caFile: store.get('caFile'),
              proxyUrl: store.get('proxyUrl'),
            }),
          })
        : undefined;
    const registry = new VmRegistry(store);
    await recoverPendingRegistration(options.home, registry);
    if (await corporateOnly(store, identity, client)) throw new ProvisimError('CORPORATE_ONLY');
    const registeredAt = new Date().toISOString();
    const recordOf = (path: string, config: VmConfig): VmRecord => ({
      uuid: config.uuid,
      name: basename(path, '.pvm'),
      path,
      arch: config.arch,
      source: { kind: 'assistant', os: options.os },
      registeredAt,
      state: 'stopped',
    });
    const created = await createVmFromScratch({
      vmDir: options.vmDir ?? store.get('vmDir') ?? homeLayout(options.home).defaultVmDir,
      name: options.name,
      os: options.os,
      arch: identity.arch,
      cpus: options.cpus,
      memoryMb: options.memoryMb,
      diskSizeBytes: options.diskSizeBytes,
      onClaiming: (target, config) =>
        notePendingRegistration(options.home, recordOf(target, config)),
    });
    const vm = await registerCommitted(registry, recordOf(created.path, created.config));
    await clearPendingRegistration(options.home);
    if (client && licenseKey) {
      const { home } = options;
      const outbox = new Outbox({ home, deviceId: identity.deviceId, licenseKey, client, logger });
      const reporter = new JobReporter(outbox, logger, options.onEvent);
      reporter.emit('vm-created', { vmUuid: vm.uuid, name: vm.name, os: options.os });
      await reporter.settle().catch(() => undefined);
    }
    return { type: 'result', outcome: 'created', vm };
  } catch (error) {
    return failedResult(error);
  } finally {
    await release?.();
  }
}

/** Asks the portal for the current policy; an unreachable portal falls back to the cached one. */
async function corporateOnly(
  store: AgentStore,
  identity: AgentIdentity,
  client: PortalClient | undefined,
): Promise<boolean> {
  const portalUrl = store.get('portalUrl');
  const licenseKey = store.get('licenseKey');
  if (!client || !portalUrl || !licenseKey) return false;
  try {
    const { policy } = await checkInAndCache({ store, client, identity, licenseKey, portalUrl });
    return policy.restrictToCorporateVms;
  } catch (error) {
    if (isProvisimError(error) && error.code === 'PORTAL_UNREACHABLE') {
      return store.get('policyCache')?.policy.restrictToCorporateVms ?? false;
    }
    throw error;
  }
}
