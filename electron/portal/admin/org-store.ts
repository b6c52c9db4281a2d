import type { AdminProblem, ChangedPolicy } from '../../../shared/admin-api.ts';
import type { OrgConfig } from '../org-config-schema.ts';
import { AdminError } from './admin-error.ts';
import { PortalDataError, errorCode } from './data-files.ts';
import { checkCandidate, type Focus } from './org-problems.ts';
import { readOrgState, writeOrgState, type OrgSnapshot } from './org-state-file.ts';
import { changedPolicies } from './policy-revisions.ts';

/** The changed organisation as raw data, and the entry the change is about. */
export interface Candidate {
  readonly data: Record<string, unknown>;
  /** Problems are reported on this entry; absent for a change of several. */
  readonly focus?: Focus;
  /** What only the admin API refuses in the focused entry, reported with the rules' problems. */
  readonly problems?: readonly AdminProblem[];
}

/** One admin change of the organisation. */
export interface ChangeRequest {
  /** Builds the candidate from the current organisation; may throw an AdminError. */
  readonly build: (org: OrgConfig) => Candidate;
  /** Runs on the checked result, before anything is saved; may throw an AdminError. */
  readonly check?: (org: OrgConfig, focus: Focus | undefined) => void;
}

/** A change that was saved and applied. */
export interface ChangeResult {
  readonly before: OrgConfig;
  readonly org: OrgConfig;
  readonly focus: Focus | undefined;
  readonly changedPolicies: readonly ChangedPolicy[];
}

/**
 * The organisation and its revisions, in memory and (with a file) on disk. Changes run one after
 * the other; each is saved before it applies, so a failed write changes nothing.
 */
export class OrgStore {
  #snapshot: OrgSnapshot;
  #version = 0;
  #changes: Promise<unknown> = Promise.resolve();
  #writes: Promise<unknown> = Promise.resolve();
  readonly #file: string | undefined;
  readonly #onWriteError: (error: unknown) => void;

  private constructor(snapshot: OrgSnapshot, file?: string, onWriteError = (_e: unknown) => {}) {
    this.#snapshot = snapshot;
    this.#file = file;
    this.#onWriteError = onWriteError;
  }

  /** An in-memory store, or one kept in `file` (loaded when it exists, else seeded and saved). */
  static async open(seed: OrgConfig, file?: string, onWriteError?: (error: unknown) => void) {
    const saved = file === undefined ? undefined : await readOrgState(file);
    const store = new OrgStore(
      saved ?? { org: seed, revision: 1, policyBumps: {} },
      file,
      onWriteError,
    );
    if (file !== undefined && !saved) {
      await store.#save(store.#snapshot).catch((error: AdminError) => {
        throw new PortalDataError('STATE_NOT_SAVED', file, error.message, error);
      });
    }
    return { store, loaded: saved !== undefined };
  }

  /** The organisation as it is now. */
  get org(): OrgConfig {
    return this.#snapshot.org;
  }

  /** The organisation-wide revision, bumped by `replace`. */
  get revision(): number {
    return this.#snapshot.revision;
  }

  /** The revision of one policy: the organisation's plus the changes that touched it. */
  revisionOf(policyId: string): number {
    return this.#snapshot.revision + (this.#snapshot.policyBumps[policyId] ?? 0);
  }

  /** Replaces the whole organisation at once (every policy's revision goes up); saved behind. */
  replace(org: OrgConfig): void {
    this.#snapshot = { ...this.#snapshot, org, revision: this.#snapshot.revision + 1 };
    this.#version += 1;
    this.#save(this.#snapshot).catch(this.#onWriteError);
  }

  /** Applies one admin change after the ones before it; bumps only the policies it changes. */
  change(request: ChangeRequest): Promise<ChangeResult> {
    const run = () => this.#apply(request);
    const result = this.#changes.then(run, run);
    this.#changes = result.catch(() => undefined);
    return result;
  }

  /** Resolves when every write asked for so far has ended. */
  async flush(): Promise<void> {
    await this.#writes;
  }

  async #apply(request: ChangeRequest): Promise<ChangeResult> {
    for (;;) {
      const version = this.#version;
      const current = this.#snapshot;
      const { data, focus, problems } = request.build(current.org);
      const org = checkCandidate(data, focus, problems);
      request.check?.(org, focus);
      const changed = changedPolicies(current.org, org);
      const policyBumps = { ...current.policyBumps };
      for (const id of changed) policyBumps[id] = (policyBumps[id] ?? 0) + 1;
      const next = { ...current, org, policyBumps };
      await this.#save(next);
      // A replace() came in while saving: apply the change again on top of it.
      if (this.#version !== version) continue;
      this.#snapshot = next;
      this.#version += 1;
      const bumped = changed.map((id) => ({ id, revision: this.revisionOf(id) }));
      return { before: current.org, org, focus, changedPolicies: bumped };
    }
  }

  // Writes go out in order, so the file always ends with the last snapshot asked for.
  #save(snapshot: OrgSnapshot): Promise<void> {
    const file = this.#file;
    if (file === undefined) return Promise.resolve();
    const write = this.#writes.then(() => writeOrgState(file, snapshot));
    this.#writes = write.catch(() => undefined);
    return write.catch((error: unknown) => {
      throw new AdminError(
        'STATE_NOT_SAVED',
        `The portal could not save the change to ${file} (${errorCode(error)}), so nothing was changed. Check that the data folder is writable and has free space, then try again.`,
      );
    });
  }
}
