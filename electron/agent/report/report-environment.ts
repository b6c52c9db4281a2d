import { arch, platform, release, type, version } from 'node:os';
import type { BackendChoice, BackendKind } from '../../../shared/agent-store-schema.ts';
import { freeDiskBytes } from '../disk-space.ts';
import { agentVersion, detectHostArch } from '../identity.ts';

/** What environment.json says about this Mac and this agent. */
export interface ReportEnvironment {
  readonly createdAt: string;
  readonly os: { platform: string; type: string; release: string; version: string };
  readonly arch: { node: string; host: string };
  readonly versions: { agent: string; node: string; electron: string | null };
  readonly disk: { home: FreeSpace; vmDir: FreeSpace };
  /** The backend in use when the caller knows it, and the setting it came from. */
  readonly backend: { inUse: BackendKind | null; setting: BackendChoice };
}

/** Free bytes of the volume holding a folder, or why they could not be read. */
export type FreeSpace =
  | { readonly path: string; readonly freeBytes: number }
  | { readonly path: string; readonly error: string };

/** Describes the OS, architecture, versions, free disk of the home and VM folders, and the backend. */
export async function describeEnvironment(options: {
  home: string;
  vmDir: string;
  backend?: BackendKind;
  backendSetting?: BackendChoice;
  now?: Date;
}): Promise<ReportEnvironment> {
  const [home, vmDir] = await Promise.all([freeSpace(options.home), freeSpace(options.vmDir)]);
  return {
    createdAt: (options.now ?? new Date()).toISOString(),
    os: { platform: platform(), type: type(), release: release(), version: version() },
    arch: { node: arch(), host: hostArch() },
    versions: {
      agent: agentVersion(),
      node: process.versions.node,
      electron: process.versions.electron ?? null,
    },
    disk: { home, vmDir },
    backend: { inUse: options.backend ?? null, setting: options.backendSetting ?? 'auto' },
  };
}

async function freeSpace(path: string): Promise<FreeSpace> {
  try {
    return { path, freeBytes: await freeDiskBytes(path) };
  } catch (error) {
    return { path, error: String((error as NodeJS.ErrnoException).code ?? error) };
  }
}

function hostArch(): string {
  try {
    return detectHostArch();
  } catch {
    // An architecture the portal does not know: Node's own name says what it is.
    return `unsupported (${arch()})`;
  }
}
