import { basename } from 'node:path';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import type { AgentEvent } from '../../shared/protocol.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import { failedResult, type CreateResult } from '../../shared/run-result.ts';
import type { VmConfig } from '../archive/vm-config.ts';
import { canCheckIn, type AgentConfig } from './agent-config.ts';
import { openAgent, type AgentContext } from './agent-context.ts';
import { acquireAgentLock } from './agent-lock.ts';
import { openAgentStore } from './agent-store.ts';
import { checkInAndCache } from './check-in.ts';
import { homeLayout } from './home-layout.ts';
import { loadIdentity } from './identity.ts';
import { createVmFromScratch } from './installation-assistant.ts';
import { JobReporter } from './job-reporter.ts';
import {
  clearPendingRegistration,
  notePendingRegistration,
  recoverPendingRegistration,
} from './pending-registration.ts';
import { recoverPendingPacked } from './pending-packed.ts';
import { registerEverywhere } from './register-vm.ts';
import { resolveBackend } from './hypervisor/choose-backend.ts';
import type { HypervisorBackend } from './hypervisor/hypervisor-backend.ts';
import { VmRegistry } from './vm-registry.ts';

/** Options of the Installation Assistant action. */
export interface AssistantActionOptions {
  readonly home: string;
  readonly name: string;
  readonly os: string;
  /** Without a portal and a key there is no policy to ask and no one to tell: the VM is made anyway. */
  readonly config: Partial<AgentConfig>;
  readonly cpus?: number;
  readonly memoryMb?: number;
  readonly diskSizeBytes?: number;
  /** The caller already holds the home folder's agent lock (the desktop app holds it while it runs). */
  readonly lockHeld?: boolean;
  /** Registers the VM (default: resolved from `config.backend`). */
  readonly backend?: HypervisorBackend;
  readonly onEvent?: (event: AgentEvent) => void;
}

/** Creates a VM from scratch, unless the policy allows corporate VMs only. */
export async function runAssistantAction(options: AssistantActionOptions): Promise<CreateResult> {
  let release: (() => Promise<void>) | undefined;
  try {
    if (!options.lockHeld) release = await acquireAgentLock(options.home);
    const { config } = options;
    const agent = canCheckIn(config) ? openAgent(options.home, config) : undefined;
    const store = agent?.store ?? openAgentStore(options.home);
    const identity = agent?.identity ?? loadIdentity(store, { archOverride: config.arch });
    const registry = new VmRegistry(store);
    // Before anything is made: --backend parallels without Parallels Desktop writes nothing.
    const backend = options.backend ?? (await resolveBackend(config.backend));
    await recoverPendingRegistration(options.home, registry, backend);
    await recoverPendingPacked(options.home, registry, backend, agent?.logger);
    if (agent && (await corporateOnly(agent))) throw new ProvisimError('CORPORATE_ONLY');
    const registeredAt = new Date().toISOString();
    const recordOf = (path: string, made: VmConfig): VmRecord => ({
      uuid: made.uuid,
      name: basename(path, '.pvm'),
      path,
      arch: made.arch,
      source: { kind: 'assistant', os: options.os },
      registeredAt,
      state: 'stopped',
    });
    const created = await createVmFromScratch({
      vmDir: config.vmDir ?? homeLayout(options.home).defaultVmDir,
      name: options.name,
      os: options.os,
      arch: identity.arch,
      cpus: options.cpus,
      memoryMb: options.memoryMb,
      diskSizeBytes: options.diskSizeBytes,
      onClaiming: (target, made) => notePendingRegistration(options.home, recordOf(target, made)),
    });
    const committed = recordOf(created.path, created.config);
    const vm = await registerEverywhere(backend, registry, options.home, committed);
    await clearPendingRegistration(options.home);
    if (agent) {
      const reporter = new JobReporter(agent.outbox, agent.logger, options.onEvent);
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
async function corporateOnly({ store, client, identity, config }: AgentContext): Promise<boolean> {
  const { portalUrl, licenseKey } = config;
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
