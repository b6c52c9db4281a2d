import type {
  ActivityEntry,
  AppState,
  AssistantOptions,
  ContractClient,
  JobProgress,
  Result,
} from '../../shared/ipc-contract.ts';
import { needsAssistantOptions, type ControlCenterState } from '../model/app-backend.ts';

// As many as the service keeps; older entries go first.
const ACTIVITY_LIMIT = 500;

type Listener = (state: ControlCenterState) => void;

/** Follows the contract's push channels and gathers what they carry into one state. */
export class ContractState {
  readonly #client: ContractClient;
  readonly #listeners = new Set<Listener>();
  #unsubscribes: (() => void)[] = [];
  #state: AppState | undefined;
  #pushes = 0;
  #progress: JobProgress | undefined;
  // Undefined while the options load.
  #assistant: Result<AssistantOptions> | undefined;
  #assistantRequest = 0;
  readonly #activity = new Map<string, ActivityEntry>();
  #activityInOrder: readonly ActivityEntry[] = [];
  #shown: ControlCenterState | undefined;

  constructor(client: ContractClient) {
    this.#client = client;
  }

  /** Adds a listener, told the current state at once when there is one; returns unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#open();
    if (this.#shown) listener(this.#shown);
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

  #setState(state: AppState): void {
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
    this.#assistant = undefined;
    void this.#client.invoke('assistant:get-options').then((result) => {
      if (request !== this.#assistantRequest) return;
      this.#assistant = result;
      this.#emit();
    });
  }

  #mergeActivity(entries: readonly ActivityEntry[]): void {
    for (const entry of entries) {
      // Delivery only moves forward: a list answered before a push must not undo it.
      if (this.#activity.get(entry.event.id)?.delivery === 'delivered') continue;
      this.#activity.set(entry.event.id, entry);
    }
    const all = [...this.#activity.values()];
    all.sort((a, b) => a.event.at.localeCompare(b.event.at));
    for (const dropped of all.slice(0, Math.max(0, all.length - ACTIVITY_LIMIT))) {
      this.#activity.delete(dropped.event.id);
    }
    this.#activityInOrder = all.slice(-ACTIVITY_LIMIT);
    this.#emit();
  }

  #emit(): void {
    const state = this.#state;
    // The assistant waits for its options, so a corporate-only block never flashes open first.
    if (!state || (needsAssistantOptions(state.job) && !this.#assistant)) return;
    this.#shown = {
      ...state,
      progress: this.#progress,
      activity: this.#activityInOrder,
      assistant: this.#assistant,
    };
    for (const listener of [...this.#listeners]) listener(this.#shown);
  }
}
