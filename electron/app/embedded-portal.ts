import { join } from 'node:path';
import type { FaultSpecInput } from '../../shared/faults.ts';
import { DEMO_LICENSE_KEYS, prepareDemoOrg } from '../portal/demo-org.ts';
import { startPortal, type RunningPortal } from '../portal/server.ts';

/** How the embedded demo portal is made. */
export interface EmbeddedPortalOptions {
  readonly home: string;
  /** Disk data size of the demo images (default: the demo's). */
  readonly sizeBytes?: number;
  /** Faults active from the start (tests, demos of failures). */
  readonly faults?: readonly FaultSpecInput[];
}

/** The license key the app uses with the embedded portal until the user picks another. */
export const EMBEDDED_LICENSE_KEY = DEMO_LICENSE_KEYS.engineering;

/** The demo portal, run in-process on 127.0.0.1 (free port) when no portal URL is configured. */
export class EmbeddedPortal {
  readonly #options: EmbeddedPortalOptions;
  #starting: Promise<RunningPortal> | undefined;
  #running: RunningPortal | undefined;

  constructor(options: EmbeddedPortalOptions) {
    this.#options = options;
  }

  /** The address of the running portal, if it runs. */
  get url(): string | undefined {
    return this.#running?.url;
  }

  /** The running portal (tests reach its state and faults through it). */
  get portal(): RunningPortal | undefined {
    return this.#running;
  }

  /** Starts the portal unless it runs or is starting; resolves with it. */
  ensure(): Promise<RunningPortal> {
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  /** Stops the portal (no-op when it does not run); open downloads are dropped. */
  async close(): Promise<void> {
    const starting = this.#starting;
    this.#starting = undefined;
    const portal = await starting?.catch(() => undefined);
    // A start still under way when close() came sets #running late: clear it after the wait.
    if (this.#running === portal) this.#running = undefined;
    await portal?.close();
  }

  async #start(): Promise<RunningPortal> {
    // The images are generated once per size and cached under the home, as `provisim demo` does.
    const dataDir = join(this.#options.home, 'demo-portal');
    const demo = await prepareDemoOrg({ dataDir, sizeBytes: this.#options.sizeBytes });
    const portal = await startPortal({
      dataDir,
      org: demo.org,
      logger: false,
      faults: this.#options.faults,
    });
    this.#running = portal;
    return portal;
  }
}
