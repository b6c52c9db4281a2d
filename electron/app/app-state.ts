import type { BackendKind } from '../../shared/agent-store-schema.ts';
import type { AgentProperties, AppState, IpcError, JobPhase } from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';
import { agentVersion } from '../agent/identity.ts';
import type { AppSettings } from './app-settings.ts';
import type { JobRunner } from './job-runner.ts';
import { findResumable } from './partial-downloads.ts';
import type { VmActions } from './vm-actions.ts';

/** Where the app state is read from. */
export interface StateSources {
  readonly home: string;
  readonly settings: AppSettings;
  readonly runner: JobRunner;
  readonly vms: VmActions;
  readonly detectedArch: Arch;
  readonly embeddedUrl: () => string | undefined;
  readonly lastCheckInError: () => IpcError | null;
  /** The backend resolved when the settings last changed (not resolved again per state). */
  readonly backendKind: () => BackendKind;
}

const DEFAULT_INTERVAL_SEC = 900;

/** Builds the app state from its sources and broadcasts it when it changed. */
export class AppStateView {
  readonly #sources: StateSources;
  readonly #emit: (state: AppState) => void;
  #current: AppState | undefined;
  #sent = '';
  #queue: Promise<AppState> | undefined;

  constructor(sources: StateSources, emit: (state: AppState) => void) {
    this.#sources = sources;
    this.#emit = emit;
  }

  /** The state last built (refresh() must have run once). */
  get current(): AppState {
    if (!this.#current) throw new Error('AppStateView.refresh() has not run yet.');
    return this.#current;
  }

  /** Rebuilds the state and broadcasts it unless nothing changed; refreshes run one after another. */
  refresh(): Promise<AppState> {
    // Taken now: phases that follow each other quickly (verifying, unpacking) are each broadcast.
    const { phase, busy } = this.#sources.runner;
    // Chained, so an older, slower build can never overwrite a newer state.
    const next = (this.#queue ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.#build(phase, busy));
    this.#queue = next;
    return next.then((state) => {
      const text = JSON.stringify(state);
      this.#current = state;
      if (text !== this.#sent) {
        this.#sent = text;
        this.#emit(state);
      }
      return state;
    });
  }

  async #build(job: JobPhase, busy: boolean): Promise<AppState> {
    const { settings, vms, home } = this.#sources;
    const data = settings.store.read();
    return {
      agent: this.#agent(),
      settings: settings.read(),
      vms: await vms.views(),
      job,
      // While a job runs, its partial belongs to it: nothing to offer.
      resumable: busy ? null : await findResumable(home, data.policyCache),
    };
  }

  #agent(): AgentProperties {
    const { settings, detectedArch } = this.#sources;
    const data = settings.store.read();
    const { checkInIntervalSec } = settings.read();
    return {
      deviceId: data.deviceId ?? '',
      version: agentVersion(),
      arch: data.archOverride ?? detectedArch,
      portalUrl: settings.embedded
        ? (this.#sources.embeddedUrl() ?? null)
        : (data.portalUrl ?? null),
      embeddedPortal: settings.embedded,
      lastConnectedAt: data.lastConnectedAt ?? null,
      policiesReceivedAt: data.policiesReceivedAt ?? null,
      policyRevision: data.policyCache?.policy.revision ?? null,
      groupName: data.policyCache?.policy.groupName ?? null,
      goldenImageName: data.policyCache?.policy.goldenImage?.name ?? null,
      corporateOnly: data.policyCache?.policy.restrictToCorporateVms ?? false,
      checkInIntervalSec: checkInIntervalSec ?? data.checkInIntervalSec ?? DEFAULT_INTERVAL_SEC,
      lastCheckInError: this.#sources.lastCheckInError(),
      backend: this.#sources.backendKind(),
    };
  }
}
