import type { Logger } from 'pino';
import type { OrgConfig } from '../org-config-schema.ts';
import type { PortalLimits } from '../portal-types.ts';
import { PortalState } from '../portal-state.ts';
import { ActivityWriter, SAVED_EVENTS_CAP, activityPath, readActivity } from './activity-file.ts';
import { ensureAdminToken, type AdminTokenInfo } from './admin-token.ts';
import { orgStatePath } from './org-state-file.ts';
import { OrgStore } from './org-store.ts';

/** What the portal keeps, and where. */
export interface PortalDataOptions {
  readonly dataDir: string;
  /** The organisation of a fresh start; a saved one takes precedence when `persist` is on. */
  readonly org: OrgConfig;
  /** Keep the organisation, devices, events and admin token in the data folder. */
  readonly persist?: boolean;
  /** A token given at start; with `persist` and none given, the folder's token is used. */
  readonly adminToken?: string;
  readonly logger?: Logger | false;
  /** `maxDevices` goes to the device list; the rest is for the routes. */
  readonly limits?: PortalLimits;
  /** Least time between two saves of the devices and events; 1 s by default. */
  readonly saveIntervalMs?: number;
}

/** Where a persistent portal keeps its state. */
export interface PortalPersistence {
  readonly orgStateFile: string;
  readonly activityFile: string;
  /** True when the organisation came from the state file rather than from the seed. */
  readonly loaded: boolean;
  /** How many times the devices and events file was written since start (far fewer than events). */
  activityWrites(): number;
}

/** The portal's organisation, devices and events, and the token that opens its admin API. */
export interface PortalData {
  readonly store: OrgStore;
  readonly state: PortalState;
  readonly admin: AdminTokenInfo | undefined;
  readonly persistence: PortalPersistence | undefined;
  /** Waits for every pending write. */
  flush(): Promise<void>;
}

/** Opens the portal's data: in memory, or loaded from (and saved to) the data folder. */
export async function openPortalData(options: PortalDataOptions): Promise<PortalData> {
  const maxDevices = options.limits?.maxDevices;
  const given = options.adminToken;
  const report = (what: string) => (error: unknown) => {
    const message = `The portal could not save ${what}: ${String(error)}`;
    if (options.logger) options.logger.error({ err: error }, message);
    else process.emitWarning(message);
  };
  if (!options.persist) {
    const { store } = await OrgStore.open(options.org);
    const admin = given === undefined ? undefined : { token: given, generated: false };
    return {
      store,
      state: new PortalState({ maxDevices }),
      admin,
      persistence: undefined,
      flush: async () => {},
    };
  }

  const orgStateFile = orgStatePath(options.dataDir);
  const activityFile = activityPath(options.dataDir);
  const admin =
    given === undefined
      ? await ensureAdminToken(options.dataDir)
      : { token: given, generated: false };
  const { store, loaded } = await OrgStore.open(
    options.org,
    orgStateFile,
    report('the organisation'),
  );
  const saved = await readActivity(activityFile);
  const writer = new ActivityWriter({
    file: activityFile,
    snapshot: () => state.snapshot(),
    onError: report('devices and events'),
    intervalMs: options.saveIntervalMs,
  });
  const onChange = (): void => writer.schedule();
  const state = new PortalState({ maxEvents: SAVED_EVENTS_CAP, maxDevices, onChange });
  if (saved) state.restore(saved);
  return {
    store,
    state,
    admin,
    persistence: { orgStateFile, activityFile, loaded, activityWrites: () => writer.writes },
    flush: async () => {
      await Promise.all([store.flush(), writer.flush()]);
    },
  };
}
