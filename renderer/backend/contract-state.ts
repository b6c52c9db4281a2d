import type {
  ActivityEntry as ContractActivityEntry,
  AppState as ContractAppState,
  ContractClient,
  JobProgress,
} from '../../shared/ipc-contract.ts';
import type { AppStateListener } from '../model/app-backend.ts';
import type { ActivityEntry, AppState, JobPhase } from '../model/view-types.ts';
import { needsAssistantOptions, toJobPhase, type JobContext } from './job-mapping.ts';
import { toActivityEntry, toAgentView, toInterrupted, toVmView } from './state-mapping.ts';

// As many as the service keeps; older entries go first.
const ACTIVITY_LIMIT = 500;

/** Follows the contract's push channels and turns what they carry into the renderer's AppState. */
export class ContractState {
  readonly #client: ContractClient;
  readonly #listeners = new Set<AppStateListener>();
  #unsubscribes: (() => void)[] = [];
  #state: ContractAppState | undefined;
  #pushes = 0;
  #progress: JobProgress | undefined;
  #assistant: JobContext['assistant'] = {};
  #assistantRequest = 0;
  readonly #activity = new Map<string, ContractActivityEntry>();
  #activityView: readonly ActivityEntry[] = [];
  #view: AppState | undefined;

  constructor(client: ContractClient) {
    this.#client = client;
  }

  /** Adds a listener, told the current state at once when there is one; returns unsubscribe. */
  subscribe(listener: AppStateListener): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#open();
    if (this.#view) listener(this.#view);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size > 0) return;
      for (const unsubscribe of this.#unsubscribes) unsubscribe();
      this.#unsubscribes = [];
    };
  }

  #open(): void {
    const client = this.#client;
    this.#unsubscribes = [
      client.subscribe('state:changed', (state) => {
        this.#pushes += 1;
        this.#setState(state);
      }),
      client.subscribe('job:progress', (progress) => {
        this.#progress = progress;
        this.#emit();
      }),
      client.subscribe('activity:changed', ({ entries }) => this.#mergeActivity(entries)),
    ];
    // The preload pushes only changes, so the first state is asked for; a push wins over it.
    const pushesBefore = this.#pushes;
    void client.invoke('state:get').then((result) => {
      if (result.ok && this.#pushes === pushesBefore) this.#setState(result.value);
    });
    void client.invoke('activity:list').then((result) => {
      if (result.ok) this.#mergeActivity(result.value);
    });
  }

  #setState(state: ContractAppState): void {
    const before = this.#state?.job;
    const { job } = state;
    // A new invitation starts a new download: the last one's progress says nothing about it.
    if (job.phase === 'invited') this.#progress = undefined;
    if (needsAssistantOptions(job) && !(before && needsAssistantOptions(before))) {
      this.#loadAssistantOptions();
    }
    this.#state = state;
    this.#emit();
  }

  #loadAssistantOptions(): void {
    const request = ++this.#assistantRequest;
    this.#assistant = {};
    void this.#client.invoke('assistant:get-options').then((result) => {
      if (request !== this.#assistantRequest) return;
      this.#assistant = result.ok ? { options: result.value } : { error: result.error };
      this.#emit();
    });
  }

  #mergeActivity(entries: readonly ContractActivityEntry[]): void {
    for (const entry of entries) {
      // Delivery only moves forward: a list answered before a push must not undo it.
      if (this.#activity.get(entry.event.id)?.delivery === 'delivered') continue;
      this.#activity.set(entry.event.id, entry);
    }
    const all = [...this.#activity.values()].map(toActivityEntry);
    all.sort((a, b) => a.at.localeCompare(b.at));
    for (const dropped of all.slice(0, Math.max(0, all.length - ACTIVITY_LIMIT))) {
      this.#activity.delete(dropped.id);
    }
    this.#activityView = all.slice(-ACTIVITY_LIMIT);
    this.#emit();
  }

  #jobView(state: ContractAppState): JobPhase | undefined {
    return toJobPhase(state.job, {
      progress: this.#progress,
      resumable: state.resumable,
      assistant: this.#assistant,
      arch: state.agent.arch,
    });
  }

  #emit(): void {
    const state = this.#state;
    if (!state) return;
    // The assistant waits for its options, so a corporate-only block never flashes open first.
    const job = this.#jobView(state);
    if (!job) return;
    this.#view = {
      job,
      vms: state.vms.map(toVmView),
      settings: state.settings,
      agent: toAgentView(state.agent),
      activity: this.#activityView,
      interrupted: toInterrupted(state.resumable),
    };
    for (const listener of [...this.#listeners]) listener(this.#view);
  }
}
