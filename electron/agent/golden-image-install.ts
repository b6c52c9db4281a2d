import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import type { AnnouncedPhase } from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';
import { isProvisimError } from '../../shared/provisim-error.ts';
import type { ArchiveFormat } from '../archive/detect-format.ts';
import { createTarExtractor, resumeTarExtractor } from '../archive/tar-extractor.ts';
import { extractZip } from '../archive/zip-extractor.ts';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../archive/archive-limits.ts';
import { assertDiskSpace, DEFAULT_HEADROOM_BYTES, type SpaceNeed } from './disk-space.ts';
import { downloadImage, type DownloadProgress } from './download/image-download.ts';
import type { JobReporter } from './job-reporter.ts';
import type { ValidatedGoldenImage } from './policy-validation.ts';
import { stagingPrefixOf } from './leftovers.ts';
import { heldDownloadBytes } from './held-download.ts';
import { prepareWritableFolder } from './writable-folder.ts';
import { commitAndRegister } from './register-vm.ts';
import type { VmRegistry } from './vm-registry.ts';
import type { Transport } from './transport.ts';
import { crashPoint } from '../crash-points.ts';
import { EntryChecker } from '../archive/entry-checker.ts';
import type { HypervisorBackend } from './hypervisor/hypervisor-backend.ts';
import { registerPackedImage } from './register-packed.ts';
import { checkingConsumer, registerSimulated, type DiskMode } from './simulated-install.ts';
import { pathExists } from './path-exists.ts';

export type { DiskMode } from './simulated-install.ts';

/** Tuning of the download that callers (tests, QA scenarios) may change. */
export interface DownloadTuning {
  readonly stallTimeoutMs?: number;
  readonly retries?: number;
  readonly minRetryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** How often the journal records the hash so far (default 64 MiB). */
  readonly checkpointBytes?: number;
  /** Holds the download to this many bytes a second (a simulated Mac's line). */
  readonly bytesPerSecond?: number;
}

/** Everything installing one golden image needs. */
export interface GoldenImageInstallOptions {
  readonly image: ValidatedGoldenImage;
  readonly policyRevision: number;
  readonly hostArch: Arch;
  /** This agent's device id; it marks the staging folders as this agent's. */
  readonly deviceId: string;
  /** The agent home, where a registration about to happen is noted for crash recovery. */
  readonly home: string;
  readonly downloadsDir: string;
  readonly vmDir: string;
  readonly registry: VmRegistry;
  readonly reporter: JobReporter;
  readonly signal?: AbortSignal;
  /** Trust and proxy of the agent context, shared with the portal client. */
  readonly transport?: Transport;
  readonly tuning?: DownloadTuning;
  readonly limits?: ArchiveLimits;
  /** `none` checks every byte but writes no file data, and registers the VM as simulated. */
  readonly disk?: DiskMode;
  readonly freeBytes?: (path: string) => Promise<number>;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Told where verifying, unpacking and registering really start. */
  readonly onPhase?: (phase: AnnouncedPhase) => void;
  /** Registers the unpacked VM (default: Provisim's own registry only). */
  readonly backend?: HypervisorBackend;
}

/** Paths where an image's partial download, its resume state and its unpacking journal live. */
export function partialPaths(downloadsDir: string, sha256: string) {
  return {
    partialPath: join(downloadsDir, `${sha256}.part`),
    statePath: join(downloadsDir, `${sha256}.json`),
    journalPath: join(downloadsDir, `${sha256}.journal`),
  };
}

/** The staging folder an agent unpacks an image into, beside the VM folder; the same on every run so a resume finds it. */
export function stagingDirFor(vmDir: string, deviceId: string, sha256: string): string {
  return join(vmDir, `${stagingPrefixOf(deviceId)}${sha256}`);
}

/** Disk space an image needs: the rest of the download, plus its unpacked VM beside the VM folder. */
export function spaceNeeds(
  total: number,
  offset: number,
  downloadsDir: string,
  vmDir: string,
): SpaceNeed[] {
  // A VM disk hardly compresses, so the unpacked size is taken as the archive's size.
  return [
    { path: downloadsDir, bytes: Math.max(0, total - offset) },
    { path: vmDir, bytes: total },
  ];
}

/** Downloads, verifies, unpacks, commits and registers one golden image; returns its record. */
export async function installGoldenImage(options: GoldenImageInstallOptions): Promise<VmRecord> {
  const { image, reporter, vmDir, downloadsDir } = options;
  const { partialPath, statePath, journalPath } = partialPaths(downloadsDir, image.sha256);
  // Staging sits beside the VM folder so the final commit is a rename on one volume.
  const stagingDir = stagingDirFor(vmDir, options.deviceId, image.sha256);
  const needs = (total: number, offset: number) => spaceNeeds(total, offset, downloadsDir, vmDir);
  // While unpacking, the same headroom is kept free as the disk check before the download asks.
  const limits = {
    ...DEFAULT_ARCHIVE_LIMITS,
    keepFreeBytes: DEFAULT_HEADROOM_BYTES,
    ...options.limits,
  };
  const ref = { goldenImageId: image.id, name: image.name, sizeBytes: image.sizeBytes ?? null };
  const announce = (phase: 'verifying' | 'unpacking' | 'registering') =>
    options.onPhase?.(
      phase === 'verifying'
        ? { phase, image: ref }
        : { phase, image: ref, verifiedSha256: image.sha256 },
    );
  // With --disk none the entries go to a checker in memory: no staging folder, no VM folder.
  const simulated = options.disk === 'none';
  // One per consumer: a download that restarts from 0 checks the archive afresh.
  let checker: EntryChecker | undefined;
  let verified = false;
  let keepStaging = false;
  try {
    // Before any byte: a read-only or missing destination is named now, not after the download.
    await prepareWritableFolder(downloadsDir, 'downloads folder');
    if (!simulated) await prepareWritableFolder(vmDir, 'VM folder');
    if (image.sizeBytes !== undefined && !simulated) {
      const offset = await heldDownloadBytes(downloadsDir, image.sha256);
      await assertDiskSpace(needs(image.sizeBytes, offset), { freeBytes: options.freeBytes });
    }
    const download = await downloadImage({
      url: image.url,
      expectedSha256: image.sha256,
      partialPath,
      statePath,
      signal: options.signal,
      transport: options.transport,
      ...options.tuning,
      onEvent: (event) => {
        switch (event.type) {
          case 'download-started':
            return void reporter.emit('download-started', withImage(image, event));
          case 'download-resumed':
            return void reporter.emit('download-resumed', withImage(image, event));
          case 'download-restarted':
            return void reporter.emit('download-restarted', withImage(image, event));
          case 'download-redirected':
            if (event.hostChanged) reporter.emit('download-redirected', withImage(image, event));
            return;
          case 'attempt-failed':
            return void reporter.emit('download-retrying', withImage(image, event));
          case 'received':
            reporter.emit('download-finished', withImage(image, event));
            return announce('verifying');
          case 'verified':
            verified = true;
            reporter.emit('verified', withImage(image, event));
            return announce('unpacking');
        }
      },
      onProgress: (progress) => {
        reporter.progress(withImage(image, { ...progress }));
        options.onProgress?.(progress);
      },
      onResponse: async ({ total, offset }) => {
        if (total !== undefined && image.sizeBytes === undefined && !simulated) {
          await assertDiskSpace(needs(total, offset), { freeBytes: options.freeBytes });
        }
      },
      // A plain tar unpacks straight into staging with a journal: its bytes are written once.
      createConsumer: (format) =>
        simulated
          ? checkingConsumer(format, stagingDir, limits, (checker = new EntryChecker(limits)))
          : format === 'tar' || format === 'tar.gz'
            ? createTarExtractor({
                stagingDir,
                limits,
                format,
                ...(format === 'tar' ? { journalPath } : {}),
              })
            : undefined,
      acceptsPacked: options.backend?.kind === 'parallels' && !simulated,
      resumeConsumer: async () => {
        if (simulated) return undefined;
        const resumed = await resumeTarExtractor({ stagingDir, journalPath, limits });
        return resumed && { ...resumed, consumer: resumed.extractor };
      },
    });
    verified = true;
    if (download.consumerFailure) throw download.consumerFailure.error;
    const source = {
      kind: 'golden-image',
      goldenImageId: image.id,
      goldenImageName: image.name,
      url: image.url,
      sha256: image.sha256,
      policyRevision: options.policyRevision,
      ...(image.sizeBytes === undefined ? {} : { sizeBytes: image.sizeBytes }),
    } as const;
    const { registry, hostArch, backend } = options;
    let record: VmRecord;
    if (download.format === 'unknown' && backend) {
      // Neither tar nor zip: the hypervisor's own packed VM, which only it can unpack.
      announce('registering');
      const packed = { file: partialPath, vmDir, name: image.name, arch: hostArch };
      record = await registerPackedImage({
        ...packed,
        home: options.home,
        backend,
        registry,
        source,
      });
    } else {
      const summary =
        download.format === 'zip'
          ? await extractZip(partialPath, stagingDir, limits)
          : (download.consumerResult as { entries: number; unpackedBytes: number });
      const format = unpackedFormat(download.format);
      reporter.emit('unpacked', withImage(image, { ...summary, format }));
      crashPoint('after-unpack');
      announce('registering');
      record = checker
        ? registerSimulated({ registry, vmDir, config: checker.vm(hostArch), source })
        : await commitAndRegister({
            home: options.home,
            stagingDir,
            hostArch,
            vmDir,
            registry,
            source,
            backend,
          });
    }
    // Only now is the download of no further use: until the VM is registered, a rerun after a
    // crash finds it verified and fetches nothing.
    await removeDownload(partialPath, statePath, journalPath);
    crashPoint('after-download-removed');
    reporter.emit(
      'registered',
      withImage(image, { vmUuid: record.uuid, name: record.name, sha256: image.sha256 }),
    );
    return record;
  } catch (error) {
    const badArchive = isArchiveError(error);
    reportFailure(reporter, image, error, verified || badArchive);
    // An archive that cannot be installed would fail the same way again: drop it. A full or
    // read-only disk is not the archive's fault: what arrived stays for the next run.
    if (badArchive) await removeDownload(partialPath, statePath, journalPath);
    // The staged files are the download itself when a journal describes them.
    keepStaging = !badArchive && (await pathExists(journalPath));
    throw error;
  } finally {
    // A failure to remove it must not hide the job's own error (a VM folder under a file has none).
    if (!keepStaging) await rm(stagingDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function reportFailure(
  reporter: JobReporter,
  image: ValidatedGoldenImage,
  error: unknown,
  installFailed: boolean,
): void {
  const code = isProvisimError(error) ? error.code : 'DOWNLOAD_FAILED';
  const message = error instanceof Error ? error.message : String(error);
  const type = installFailed
    ? 'install-failed'
    : code === 'CHECKSUM_MISMATCH'
      ? 'verify-failed'
      : 'download-failed';
  reporter.emit(type, withImage(image, { error: { code, message } }));
}

function isArchiveError(error: unknown): boolean {
  return (
    isProvisimError(error) &&
    (error.code === 'ARCHIVE_UNSAFE' ||
      error.code === 'ARCHIVE_INVALID' ||
      error.code === 'VM_INVALID')
  );
}

// Only tar, gzip'd tar and zip get this far: any other format failed as ARCHIVE_INVALID.
function unpackedFormat(format: ArchiveFormat): 'tar' | 'tar.gz' | 'zip' {
  if (format === 'html' || format === 'unknown') throw new Error(`unpacked a ${format} file`);
  return format;
}

function withImage<F extends object>(
  image: ValidatedGoldenImage,
  fields: F,
): Omit<F, 'type'> & { goldenImageId: string } {
  const { type: _type, ...rest } = fields as F & { type?: unknown };
  return { goldenImageId: image.id, ...rest };
}

async function removeDownload(...paths: string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true })));
}
