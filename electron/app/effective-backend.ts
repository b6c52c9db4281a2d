import type { Logger } from 'pino';
import type { BackendChoice, BackendKind } from '../../shared/agent-store-schema.ts';
import { resolveBackend } from '../agent/hypervisor/choose-backend.ts';
import type { HypervisorBackend } from '../agent/hypervisor/hypervisor-backend.ts';

/** Options of the app's backend: its log, and the environment prlctl is found in. */
export interface EffectiveBackendOptions {
  readonly logger?: Logger;
  /** Where PROVISIM_PRLCTL and PATH are read (default: this process's environment). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The hypervisor backend the app uses, resolved once at start and once per settings save (not
 * on every state push: resolving asks prlctl, which takes a process start).
 */
export class EffectiveBackend {
  readonly #options: EffectiveBackendOptions;
  #kind: BackendKind = 'simulated';
  #backend: Promise<HypervisorBackend> | undefined;

  constructor(options: EffectiveBackendOptions = {}) {
    this.#options = options;
  }

  /** The backend in use, for the state: `parallels` when chosen, even while prlctl is missing. */
  get kind(): BackendKind {
    return this.#kind;
  }

  /** The backend in use; rejects with why it could not be had (PARALLELS_NOT_INSTALLED…). */
  current(): Promise<HypervisorBackend> {
    if (!this.#backend) return Promise.reject(new Error('EffectiveBackend.load() has not run.'));
    return this.#backend;
  }

  /** Resolves the saved choice at start; a choice that cannot be had stays, and current() says why. */
  async load(choice: BackendChoice): Promise<void> {
    const backend = this.check(choice);
    this.#backend = backend;
    // Read by current() later: a rejection nobody awaits yet must not end the process.
    backend.catch(() => undefined);
    try {
      this.#kind = (await backend).kind;
    } catch (error) {
      this.#options.logger?.warn({ err: error, choice }, 'hypervisor backend not available');
      this.#kind = choice === 'auto' ? 'simulated' : choice;
    }
  }

  /** Resolves a choice about to be saved: throws (PARALLELS_NOT_INSTALLED…) and changes nothing. */
  check(choice: BackendChoice): Promise<HypervisorBackend> {
    return resolveBackend(choice, this.#options);
  }

  /** Makes a backend check() gave the one in use. */
  use(backend: HypervisorBackend): void {
    this.#backend = Promise.resolve(backend);
    this.#kind = backend.kind;
  }

  /** A backend that forwards every call to the one in use at that moment (settings may change it). */
  delegate(): HypervisorBackend {
    const kind = () => this.#kind;
    const current = () => this.current();
    return {
      get kind() {
        return kind();
      },
      registerBundle: async (path, name) => (await current()).registerBundle(path, name),
      registerPacked: async (file, vmDir, name) =>
        (await current()).registerPacked(file, vmDir, name),
      list: async () => (await current()).list(),
      remove: async (uuid, options) => (await current()).remove(uuid, options),
    };
  }
}
