import type { Logger } from 'pino';
import type { FaultSpec, FaultSpecInput } from '../../shared/faults.ts';
import type { AdminTokenInfo } from './admin/admin-token.ts';
import type { RefusalLimit } from './client-access.ts';
import type { PortalPersistence } from './admin/portal-data.ts';
import type { FleetHub, FleetOptions } from './fleet/fleet-setup.ts';
import type { OrgConfig } from './org-config-schema.ts';
import type { PortalState } from './portal-state.ts';

/** How to start the mock management portal. */
export interface PortalOptions {
  /** Address to listen on; 127.0.0.1 by default. */
  readonly host?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Where agents reach the portal, for the links to images it hosts; default: where it listens. */
  readonly publicUrl?: string;
  /** Folder of the portal's files; images are served from its `images` subfolder. */
  readonly dataDir: string;
  /** The organisation; with `persist`, only for a data folder that has no saved one yet. */
  readonly org: OrgConfig;
  /** Where request logs go; none when absent or false. */
  readonly logger?: Logger | false;
  /** Faults active from the start, after those of the org configuration. */
  readonly faults?: readonly FaultSpecInput[];
  /** Seed of the generator behind toxicity, jitter and slice sizes; 1 by default. */
  readonly faultSeed?: number;
  /**
   * Token that opens the admin API (`/api/v1/admin`) and the fault API (`/api/v1/faults`); both
   * answer 403 without one. With `persist`, the data folder's token is used when none is given.
   */
  readonly adminToken?: string;
  /**
   * Keeps the organisation (`org-state.json`), devices and events (`portal-state.json`) and the
   * admin token (`admin-token`, made at first start) in the data folder; in memory otherwise.
   */
  readonly persist?: boolean;
  /**
   * With `persist`, the least time between two saves of devices and events (1 s by default):
   * changes in between go out together; `close()` saves the last ones at once.
   */
  readonly saveIntervalMs?: number;
  /**
   * Serves HTTPS with a test CA generated at start (its certificate goes to
   * `<dataDir>/tls/ca-cert.pem`), which `tls` faults need; plain HTTP by default.
   */
  readonly https?: boolean;
  /** Timing of the retrieval channels and the admin stream (tests shorten it). */
  readonly fleet?: FleetOptions;
  /** What the client API takes from strangers; the defaults suit a fleet of 100,000 Macs. */
  readonly limits?: PortalLimits;
}

/** Limits that keep license guessing and floods of device ids from filling the portal. */
export interface PortalLimits {
  /** Most devices kept (100,000 by default); new devices past it are refused, none is dropped. */
  readonly maxDevices?: number;
  /** Refused check-ins one client address may make per window (20 per 10 minutes by default). */
  readonly refusedCheckIns?: RefusalLimit;
}

/** The active faults of a running portal. */
export interface PortalFaults {
  /** The active faults with their ids. */
  list(): FaultSpec[];
  /** Checks and adds a fault (throws on a bad spec or a taken id); returns its id. */
  add(spec: FaultSpecInput): string;
  /** Removes a fault; false when there was none with that id. */
  remove(id: string): boolean;
  /** Removes every fault. */
  clear(): void;
}

/** A portal that is listening. */
export interface RunningPortal {
  /** Like `http://127.0.0.1:8080` (`https://` with `https`), without a trailing slash. */
  readonly url: string;
  /** The CA certificate (PEM) that agents must trust, with `https`; undefined for plain HTTP. */
  readonly caCertPath?: string;
  /** Stops listening, drops open connections (downloads included) and finishes its writes. */
  close(): Promise<void>;
  /** Replaces the organisation configuration and bumps the revision of every policy. */
  setOrg(org: OrgConfig): void;
  /** The organisation-wide revision counter; 1 at start, plus one per `setOrg`. */
  readonly revision: number;
  /** The revision a policy id is answered with: `revision` plus the admin changes it saw. */
  revisionOf(policyId: string): number;
  readonly org: OrgConfig;
  readonly state: PortalState;
  readonly faults: PortalFaults;
  /** The admin token and where it is stored; undefined when the admin API is off. */
  readonly adminToken?: AdminTokenInfo;
  /** The state files, with `persist`. */
  readonly persistence?: PortalPersistence;
  /** The retrieval channels and upload outcomes, for tests and logs. */
  readonly fleet: FleetHub;
}
