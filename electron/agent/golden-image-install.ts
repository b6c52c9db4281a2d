import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import type { Arch, GoldenImageOffer } from '../../shared/protocol.ts';
import { isProvisimError } from '../../shared/provisim-error.ts';
import { createTarExtractor } from '../archive/tar-extractor.ts';
import { extractZip } from '../archive/zip-extractor.ts';
import type { ArchiveLimits } from '../archive/archive-limits.ts';
import { assertDiskSpace, type SpaceNeed } from './disk-space.ts';
import { downloadImage, type DownloadProgress } from './download/image-download.ts';
import type { JobReporter } from './job-reporter.ts';
import { stagingPrefixOf } from './leftovers.ts';
import { commitAndRegister } from './register-vm.ts';
import type { VmRegistry } from './vm-registry.ts';

/** Tuning of the download that callers (tests, QA scenarios) may change. */
export interface DownloadTuning {
  readonly stallTimeoutMs?: number;
  readonly retries?: number;
  readonly minRetryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

/** Everything installing one golden image needs. */
export interface GoldenImageInstallOptions {
  readonly image: GoldenImageOffer;
  readonly policyRevision: number;
  readonly hostArch: Arch;
  /** This agent's device id; it marks the staging folders as this agent's. */
  readonly deviceId: string;
  readonly downloadsDir: string;
  readonly vmDir: string;
  readonly registry: VmRegistry;
  readonly reporter: JobReporter;
  readonly signal?: AbortSignal;
  /** A PEM file of extra CAs trusted for the image server. */
  readonly caFile?: string;
  readonly proxyUrl?: string;
  readonly tuning?: DownloadTuning;
  readonly limits?: ArchiveLimits;
  readonly freeBytes?: (path: string) => Promise<number>;
  readonly onProgress?: (progress: DownloadProgress) => void;
}

/** Paths where an image's partial download and its resume state live. */
export function partialPaths(downloadsDir: string, sha256: string) {
  return {
    partialPath: join(downloadsDir, `${sha256}.part`),
    statePath: join(downloadsDir, `${sha256}.json`),
  };
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
  const { partialPath, statePath } = partialPaths(downloadsDir, image.sha256);
  await mkdir(downloadsDir, { recursive: true });
  await mkdir(vmDir, { recursive: true });
  // Staging sits beside the VM folder so the final commit is a rename on one volume.
  const stagingDir = join(vmDir, `${stagingPrefixOf(options.deviceId)}${randomUUID()}`);
  const needs = (total: number, offset: number) => spaceNeeds(total, offset, downloadsDir, vmDir);
  let verified = false;
  try {
    if (image.sizeBytes !== undefined) {
      const offset = await fileSize(partialPath);
      await assertDiskSpace(needs(image.sizeBytes, offset), { freeBytes: options.freeBytes });
    }
    const download = await downloadImage({
      url: image.url,
      expectedSha256: image.sha256,
      partialPath,
      statePath,
      signal: options.signal,
      caFile: options.caFile,
      proxyUrl: options.proxyUrl,
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
        }
      },
      onProgress: (progress) => {
        reporter.progress(withImage(image, { ...progress }));
        options.onProgress?.(progress);
      },
      onResponse: async ({ total, offset }) => {
        if (total !== undefined && image.sizeBytes === undefined) {
          await assertDiskSpace(needs(total, offset), { freeBytes: options.freeBytes });
        }
      },
      createConsumer: (format) =>
        format === 'zip' ? undefined : createTarExtractor({ stagingDir, limits: options.limits }),
    });
    verified = true;
    reporter.emit('download-finished', withImage(image, { bytes: download.bytes }));
    reporter.emit('verified', withImage(image, { sha256: download.sha256 }));
    if (download.consumerFailure) throw download.consumerFailure.error;
    const summary =
      download.format === 'zip'
        ? await extractZip(partialPath, stagingDir, options.limits)
        : (download.consumerResult as { entries: number; unpackedBytes: number });
    reporter.emit('unpacked', withImage(image, { ...summary, format: download.format }));
    const record = await commitAndRegister({
      stagingDir,
      hostArch: options.hostArch,
      vmDir,
      registry: options.registry,
      source: {
        kind: 'golden-image',
        goldenImageId: image.id,
        goldenImageName: image.name,
        url: image.url,
        sha256: image.sha256,
        policyRevision: options.policyRevision,
      },
    });
    await rm(partialPath, { force: true });
    reporter.emit('registered', withImage(image, { vmUuid: record.uuid, name: record.name }));
    return record;
  } catch (error) {
    const installFailed = verified || isArchiveError(error);
    reportFailure(reporter, image, error, installFailed);
    // A verified archive that failed to install would fail the same way again: drop it.
    if (installFailed) {
      await rm(partialPath, { force: true });
      await rm(statePath, { force: true });
    }
    throw error;
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
}

function reportFailure(
  reporter: JobReporter,
  image: GoldenImageOffer,
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

function withImage(image: GoldenImageOffer, fields: object): Record<string, unknown> {
  const { type: _type, ...rest } = fields as Record<string, unknown>;
  return { goldenImageId: image.id, ...rest };
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
