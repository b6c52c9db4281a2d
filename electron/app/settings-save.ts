import { isAbsolute } from 'node:path';
import { LICENSE_KEY_PATTERN, type Settings } from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import { checkInAndCache } from '../agent/check-in.ts';
import { loadIdentity } from '../agent/identity.ts';
import { PortalClient } from '../agent/portal-client.ts';
import { createTransport } from '../agent/transport.ts';
import { readCaFile } from '../agent/tls-trust.ts';
import type { AppSettings } from './app-settings.ts';
import type { EffectiveBackend } from './effective-backend.ts';

/** What saving settings needs beyond the settings themselves. */
export interface SettingsSaveContext {
  readonly settings: AppSettings;
  readonly detectedArch: Arch;
  /** The embedded portal's address, starting it if needed. */
  readonly embeddedUrl: () => Promise<string>;
  /** The backend in use; the saved choice becomes it. */
  readonly backend: EffectiveBackend;
}

// A change to any of these is a new activation: the portal must accept the device as it now is.
const ACTIVATION_FIELDS = ['licenseKey', 'portalUrl', 'arch', 'caFile', 'proxyUrl'] as const;

/** Checks and saves settings; a new key, portal, arch or CA is activated by a check-in first. */
export async function saveSettings(
  context: SettingsSaveContext,
  input: Settings,
): Promise<Settings> {
  const next: Settings = { ...input, licenseKey: input.licenseKey.trim().toUpperCase() };
  if (!LICENSE_KEY_PATTERN.test(next.licenseKey)) throw new ProvisimError('LICENSE_KEY_FORMAT');
  checkPath('VM folder', next.vmDir);
  if (next.caFile !== null) {
    checkPath('CA certificate file', next.caFile);
    refuseAsPayload(() => readCaFile(next.caFile!));
  }
  // Resolved on every save, so a Parallels Desktop installed since is found: PARALLELS_NOT_INSTALLED
  // for a `parallels` choice saves nothing, like a refused activation.
  const backend = await context.backend.check(next.backend);
  // The check-in must succeed before anything is written: a refused activation saves nothing.
  const current = context.settings.read();
  const portalUrl = next.portalUrl ?? (await context.embeddedUrl());
  if (ACTIVATION_FIELDS.some((field) => next[field] !== current[field])) {
    await activate(context, next, portalUrl);
  }
  context.settings.write(next, portalUrl);
  context.backend.use(backend);
  return context.settings.read();
}

async function activate(context: SettingsSaveContext, next: Settings, portalUrl: string) {
  const client = refuseAsPayload(
    () =>
      new PortalClient({
        portalUrl,
        transport: createTransport({
          caFile: next.caFile ?? undefined,
          proxyUrl: next.proxyUrl ?? undefined,
        }),
      }),
  );
  const { store } = context.settings;
  const arch = next.arch === 'auto' ? context.detectedArch : next.arch;
  const identity = loadIdentity(store, { archOverride: arch });
  // Keyed by portal and license key, the cached answer cannot be mistaken for the saved settings'.
  await checkInAndCache({ store, client, identity, licenseKey: next.licenseKey, portalUrl });
}

function checkPath(what: string, path: string): void {
  if (!isAbsolute(path) || path.includes('\0')) {
    throw new ProvisimError('INVALID_PAYLOAD', {
      message: `The ${what} must be a full path starting at the root of the disk, not "${path.slice(0, 80)}".`,
    });
  }
}

// The agent's own checks speak of command-line usage; here the same problem is a refused value.
function refuseAsPayload<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (isProvisimError(error) && error.code === 'USAGE') {
      throw new ProvisimError('INVALID_PAYLOAD', { message: error.message, cause: error });
    }
    throw error;
  }
}
