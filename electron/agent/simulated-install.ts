import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { VmRecord, VmSource } from '../../shared/agent-store-schema.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import type { ArchiveFormat } from '../archive/detect-format.ts';
import type { ArchiveLimits } from '../archive/archive-limits.ts';
import type { EntryChecker } from '../archive/entry-checker.ts';
import { createTarExtractor } from '../archive/tar-extractor.ts';
import { safeVmFileName } from '../archive/vm-bundle.ts';
import type { VmConfig } from '../archive/vm-config.ts';
import type { ByteConsumer } from './download/download-types.ts';
import type { VmRegistry } from './vm-registry.ts';

/** How an install treats the disk: `full` unpacks and registers a VM; `none` checks every byte and writes none. */
export type DiskMode = 'full' | 'none';

/** A consumer for `--disk none`: every entry checked as unpacking would, nothing written, no partial file. */
export function checkingConsumer(
  format: ArchiveFormat,
  stagingDir: string,
  limits: ArchiveLimits,
  checker: EntryChecker,
): ByteConsumer {
  if (format === 'tar' || format === 'tar.gz') {
    return createTarExtractor({ stagingDir, limits, format, checker });
  }
  // The hash still sees every byte, so a wrong file is still reported as CHECKSUM_MISMATCH.
  return {
    keepsBytes: true,
    write: () => Promise.resolve(),
    abort: () => Promise.resolve(),
    end: () =>
      Promise.reject(
        new ProvisimError('ARCHIVE_INVALID', {
          message: `The image is a ${format} archive, whose list of files sits at its end, so it cannot be checked as it streams: a fleet with --disk none takes tar and tar.gz images only. Run it with --disk full.`,
          details: { format },
        }),
      ),
  };
}

/** Registers a VM that was checked but never written: its record says so, and names the folder it would have. */
export function registerSimulated(options: {
  readonly registry: VmRegistry;
  readonly vmDir: string;
  readonly config: VmConfig;
  readonly source: VmSource;
}): VmRecord {
  const { registry, config } = options;
  const taken = registry.list().some((vm) => vm.uuid === config.uuid);
  const name = safeVmFileName(config.name);
  const record: VmRecord = {
    uuid: taken ? randomUUID() : config.uuid,
    name,
    path: join(options.vmDir, `${name}.pvm`),
    arch: config.arch,
    source: options.source,
    registeredAt: new Date().toISOString(),
    state: 'stopped',
    simulated: true,
  };
  try {
    registry.add(record);
    return record;
  } catch (error) {
    throw isProvisimError(error)
      ? error
      : new ProvisimError('REGISTRATION_FAILED', { cause: error, details: { name } });
  }
}
