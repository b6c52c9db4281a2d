import type Conf from 'conf';
import { agentStoreSchema, type AgentStoreData } from '../../shared/agent-store-schema.ts';
import { corruptFile, openConfFile, storeError } from './conf-file.ts';

/**
 * Typed access to `<home>/agent.json`; every read re-reads the file, every write is atomic. zod
 * checks what is read and written: conf's own check (ajv) compiles the schema for every file,
 * about 50 ms of blocked event loop per home, which a fleet of Macs in one process pays per Mac.
 */
export class AgentStore {
  readonly #conf: Conf<Record<string, unknown>>;

  constructor(conf: Conf<Record<string, unknown>>) {
    this.#conf = conf;
  }

  /** Absolute path of the store file. */
  get path(): string {
    return this.#conf.path;
  }

  /** One value (undefined when unset). */
  get<K extends keyof AgentStoreData>(key: K): AgentStoreData[K] {
    return this.read()[key];
  }

  /** Sets one value; `undefined` removes the key. */
  set<K extends keyof AgentStoreData>(key: K, value: AgentStoreData[K]): void {
    this.update({ [key]: value } as Partial<AgentStoreData>);
  }

  /** Sets several values in one atomic write; `undefined` values remove their keys. */
  update(patch: Partial<AgentStoreData>): void {
    const raw = this.#raw();
    this.#check(raw);
    // Built on the file as it is, so keys a newer version wrote are kept.
    const next: Record<string, unknown> = { ...raw };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    try {
      // The JSON round trip drops nested undefined values, which the schema check would reject.
      const data = JSON.parse(JSON.stringify(next)) as Record<string, unknown>;
      const checked = agentStoreSchema.safeParse(data);
      if (!checked.success) throw new Error(describeIssue(checked.error.issues[0]));
      this.#conf.store = data;
    } catch (error) {
      throw storeError(this.path, error, true);
    }
  }

  /** Removes one key. */
  delete(key: keyof AgentStoreData): void {
    this.update({ [key]: undefined });
  }

  /** The whole store, validated. */
  read(): AgentStoreData {
    return this.#check(this.#raw());
  }

  #check(raw: Record<string, unknown>): AgentStoreData {
    const checked = agentStoreSchema.safeParse(raw);
    if (!checked.success) throw corruptFile(this.path, describeIssue(checked.error.issues[0]));
    return checked.data;
  }

  #raw(): Record<string, unknown> {
    try {
      return this.#conf.store;
    } catch (error) {
      throw storeError(this.path, error, false);
    }
  }
}

function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  return issue ? `${issue.path.map(String).join('.') || 'the file'}: ${issue.message}` : 'invalid';
}

/** Opens (creating if needed) the agent store in `home`; a corrupt file is an error, never wiped. */
export function openAgentStore(home: string): AgentStore {
  const store = new AgentStore(
    openConfFile<Record<string, unknown>>({ cwd: home, configName: 'agent' }),
  );
  // Checked at once, as conf's own check did, so a corrupt file stops a command before it starts.
  store.read();
  return store;
}
