import type Conf from 'conf';
import { z } from 'zod';
import type { Settings } from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { canCheckIn, type AgentConfig } from '../agent/agent-config.ts';
import { openAgentStore, type AgentStore } from '../agent/agent-store.ts';
import { openConfFile, storeError } from '../agent/conf-file.ts';
import { homeLayout } from '../agent/home-layout.ts';
import { mapHostArch } from '../agent/identity.ts';

// What the headless agent has no use for lives beside its store, in <home>/app.json.
const appFileSchema = z.object({
  // Kept apart from the agent store's portal, which a CLI run on this home may have set.
  portalMode: z.enum(['embedded', 'url']).optional(),
  // Read once to move it into the agent store: the app kept its own copy of the proxy before.
  proxyUrl: z.string().optional(),
  checkInIntervalSec: z.number().int().positive().optional(),
});
type AppFile = z.infer<typeof appFileSchema>;

/** The CPU architecture of this Mac, not fooled by Rosetta (Electron passes its translation flag). */
export function detectArch(host: {
  platformArch: string;
  runningUnderARM64Translation: boolean;
}): Arch {
  return mapHostArch(host.platformArch, host.runningUnderARM64Translation);
}

/** The app's settings: the agent store (shared with the headless agent) plus `app.json`. */
export class AppSettings {
  readonly store: AgentStore;
  readonly #app: Conf<AppFile>;
  readonly #defaultVmDir: string;

  /** `embeddedLicenseKey` is used with the embedded portal until the user saves another key. */
  constructor(home: string, embeddedLicenseKey: string) {
    this.store = openAgentStore(home);
    this.#app = openConfFile<AppFile>({ cwd: home, configName: 'app', schema: appFileSchema });
    this.#defaultVmDir = homeLayout(home).defaultVmDir;
    // First start: a portal configured by the CLI is kept; otherwise the embedded one is used.
    if (this.#readApp().portalMode === undefined) {
      this.#writeApp({ portalMode: this.store.get('portalUrl') ? 'url' : 'embedded' });
    }
    if (this.embedded && !this.store.get('licenseKey')) {
      this.store.set('licenseKey', embeddedLicenseKey);
    }
    const { proxyUrl } = this.#readApp();
    if (proxyUrl !== undefined) {
      if (!this.store.get('proxyUrl')) this.store.set('proxyUrl', proxyUrl);
      this.#writeApp({ proxyUrl: undefined });
    }
  }

  /** Whether the embedded demo portal stands in for a configured one. */
  get embedded(): boolean {
    return this.#readApp().portalMode !== 'url';
  }

  /** The settings as the Settings view shows them. */
  read(): Settings {
    const data = this.store.read();
    const app = this.#readApp();
    return {
      licenseKey: data.licenseKey ?? '',
      portalUrl: app.portalMode === 'url' ? (data.portalUrl ?? null) : null,
      arch: data.archOverride ?? 'auto',
      vmDir: data.vmDir ?? this.#defaultVmDir,
      checkInIntervalSec: app.checkInIntervalSec ?? null,
      proxyUrl: data.proxyUrl ?? null,
      caFile: data.caFile ?? null,
      backend: data.backend ?? 'auto',
    };
  }

  /** Saves checked settings; `portalUrl` is the address to remember (the embedded one when null). */
  write(settings: Settings, portalUrl: string): void {
    this.store.update({
      licenseKey: settings.licenseKey,
      portalUrl,
      archOverride: settings.arch === 'auto' ? undefined : settings.arch,
      vmDir: settings.vmDir === this.#defaultVmDir ? undefined : settings.vmDir,
      caFile: settings.caFile ?? undefined,
      proxyUrl: settings.proxyUrl ?? undefined,
      backend: settings.backend === 'auto' ? undefined : settings.backend,
    });
    this.#writeApp({
      portalMode: settings.portalUrl === null ? 'embedded' : 'url',
      checkInIntervalSec: settings.checkInIntervalSec ?? undefined,
    });
  }

  /** The architecture jobs report: the override, else the detected one. */
  arch(detected: Arch): Arch {
    return this.store.get('archOverride') ?? detected;
  }

  /** What jobs run with, as far as it is set; the embedded portal's address when it stands in. */
  async config(detected: Arch, embeddedUrl: () => Promise<string>): Promise<Partial<AgentConfig>> {
    const { licenseKey, vmDir, caFile, portalUrl, proxyUrl, backend } = this.read();
    return {
      portalUrl: (this.embedded ? await embeddedUrl() : portalUrl) ?? undefined,
      licenseKey: licenseKey || undefined,
      vmDir,
      arch: this.arch(detected),
      caFile: caFile ?? undefined,
      proxyUrl: proxyUrl ?? undefined,
      backend,
    };
  }

  /** What a job that checks in runs with; NOT_CONFIGURED without a portal or a license key. */
  async forJob(detected: Arch, embeddedUrl: () => Promise<string>): Promise<AgentConfig> {
    const config = await this.config(detected, embeddedUrl);
    if (!canCheckIn(config)) throw new ProvisimError('NOT_CONFIGURED');
    return config;
  }

  #readApp(): AppFile {
    try {
      return this.#app.store;
    } catch (error) {
      throw storeError(this.#app.path, error, false);
    }
  }

  #writeApp(patch: AppFile): void {
    const next: Record<string, unknown> = { ...this.#readApp(), ...patch };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    try {
      this.#app.store = next as AppFile;
    } catch (error) {
      throw storeError(this.#app.path, error, true);
    }
  }
}
