import type Conf from 'conf';
import { agentStoreSchema, type AgentStoreData } from '../../shared/agent-store-schema.ts';
import { confSchemaOf, openConfFile, storeError } from './conf-file.ts';

/** The agent store schema as conf/electron-store options (`schema` and `rootSchema`). */
export function agentStoreConfSchema(): ReturnType<typeof confSchemaOf> {
  return confSchemaOf(agentStoreSchema);
}

/** Typed access to `<home>/agent.json`; every read re-reads the file, every write is atomic. */
export class AgentStore {
  readonly #conf: Conf<AgentStoreData>;

  constructor(conf: Conf<AgentStoreData>) {
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
    const next: Record<string, unknown> = { ...this.read() };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    try {
      // The JSON round trip drops nested undefined values, which the schema check would reject.
      this.#conf.store = JSON.parse(JSON.stringify(next)) as AgentStoreData;
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
    try {
      return this.#conf.store;
    } catch (error) {
      throw storeError(this.path, error, false);
    }
  }
}

/** Opens (creating if needed) the agent store in `home`; a corrupt file is an error, never wiped. */
export function openAgentStore(home: string): AgentStore {
  return new AgentStore(
    openConfFile<AgentStoreData>({ cwd: home, configName: 'agent', schema: agentStoreSchema }),
  );
}
