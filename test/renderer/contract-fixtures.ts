import type {
  AppState,
  ContractClient,
  InvokeChannel,
  InvokeResults,
  PushChannel,
  PushPayloads,
  Result,
  VmView,
} from '../../shared/ipc-contract.ts';
import { sampleEvent } from '../helpers/sample-events.ts';
import type { AgentEvent } from '../../shared/protocol.ts';

/** A VM as the contract sends it: a golden-image VM unless overridden. */
export function aContractVm(overrides: Partial<VmView> = {}): VmView {
  return {
    uuid: 'vm-1',
    name: 'ACME Dev Win11 ARM',
    path: 'Parallels/ACME Dev Win11 ARM.pvm',
    arch: 'arm64',
    source: {
      kind: 'golden-image',
      goldenImageId: 'acme-dev-win11',
      goldenImageName: 'ACME Windows 11 for Developers',
      url: 'http://127.0.0.1:8080/images/dev.pvmp',
      sha256: 'a'.repeat(64),
      policyRevision: 1,
    },
    registeredAt: '2025-01-01T10:00:00.000Z',
    state: 'stopped',
    sizeOnDiskBytes: 4_000_000,
    corporate: true,
    removable: false,
    packing: null,
    ...overrides,
  };
}

/** The contract's whole state with nothing going on. */
export function aContractState(overrides: Partial<AppState> = {}): AppState {
  return {
    agent: {
      deviceId: 'device-1',
      version: '0.1.0',
      arch: 'arm64',
      portalUrl: 'http://127.0.0.1:8080',
      embeddedPortal: true,
      lastConnectedAt: null,
      policiesReceivedAt: null,
      policyRevision: null,
      groupName: null,
      goldenImageName: null,
      corporateOnly: false,
      checkInIntervalSec: 300,
      lastCheckInError: null,
      backend: 'simulated',
    },
    settings: {
      licenseKey: 'ACME-ENG-0002',
      portalUrl: null,
      arch: 'auto',
      vmDir: 'Parallels',
      checkInIntervalSec: null,
      proxyUrl: null,
      caFile: null,
      backend: 'auto',
    },
    vms: [],
    job: { phase: 'idle' },
    resumable: null,
    ...overrides,
  };
}

/** An agent event of `type` at minute `minute`. */
export function anEvent(id: string, type: AgentEvent['type'], minute: number): AgentEvent {
  return sampleEvent(type, { id, at: `2025-01-01T10:${String(minute).padStart(2, '0')}:00.000Z` });
}

type Answer = (payload: unknown) => Result<unknown> | Promise<Result<unknown>>;

/** A contract client whose answers the test sets per channel and whose pushes it sends. */
export function fakeContractClient() {
  const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>();
  const answers = new Map<InvokeChannel, Answer>([
    ['state:get', () => ({ ok: true, value: aContractState() })],
    ['activity:list', () => ({ ok: true, value: [] })],
  ]);
  const calls: { channel: InvokeChannel; payload: unknown }[] = [];
  const client: ContractClient = {
    async invoke(channel, ...args) {
      calls.push({ channel, payload: args[0] });
      const answer = answers.get(channel);
      const result = answer ? await answer(args[0]) : { ok: true, value: null };
      return result as Result<InvokeResults[typeof channel]>;
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      return () => void set.delete(entry);
    },
  };
  return {
    client,
    calls,
    /** Sets what a channel answers (default: an idle state, no activity, else `null`). */
    answer<C extends InvokeChannel>(
      channel: C,
      answer: (payload: unknown) => Result<InvokeResults[C]> | Promise<Result<InvokeResults[C]>>,
    ) {
      answers.set(channel, answer);
    },
    push<C extends PushChannel>(channel: C, payload: PushPayloads[C]) {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  };
}
