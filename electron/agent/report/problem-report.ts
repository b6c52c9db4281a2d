import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create as createTar } from 'tar';
import type { BackendKind } from '../../../shared/agent-store-schema.ts';
import { ProvisimError, isProvisimError } from '../../../shared/provisim-error.ts';
import { homeLayout } from '../home-layout.ts';
import { folderFailure, isFolderProblem } from '../writable-folder.ts';
import { BundleFolder } from './bundle-folder.ts';
import { fillBundle } from './report-parts.ts';
import { newReportId } from './report-id.ts';
import { Redactor } from './report-redaction.ts';
import { findSecrets } from './report-secrets.ts';
import { readSettingsFile } from './report-settings.ts';

/** Options of createProblemReport. */
export interface ProblemReportOptions {
  readonly home: string;
  /** Where the bundle is written; default `<home>/reports`. */
  readonly outDir?: string;
  /** The hypervisor backend in use, shown in environment.json. */
  readonly backend?: BackendKind;
  readonly signal?: AbortSignal;
}

/** A problem report bundle written on this Mac. */
export interface ProblemReportFile {
  readonly id: string;
  readonly path: string;
  readonly sizeBytes: number;
}

const OUT_DIR_ADVICE = 'Give another folder with --out, or fix its permissions';

/**
 * Writes `<outDir>/<id>.tar.gz`: one folder named by the report ID holding the home's logs,
 * settings, resume states, outbox, recent events, environment and network checks, with every
 * secret removed. Atomic: a `.partial` renamed at the end; failure or abort leaves nothing.
 */
export async function createProblemReport(
  options: ProblemReportOptions,
): Promise<ProblemReportFile> {
  if (typeof options.home !== 'string' || options.home.trim() === '') {
    throw new TypeError('createProblemReport: `home` must be a folder path');
  }
  const { signal } = options;
  const layout = homeLayout(options.home);
  const outDir = resolve(options.outDir ?? join(layout.home, 'reports'));
  const id = newReportId();
  const path = join(outDir, `${id}.tar.gz`);
  const partial = `${path}.partial`;
  if (signal?.aborted) throw new ProvisimError('CANCELLED');
  let staging: string | undefined;
  try {
    // Owner-only where it is made: the bundle names this Mac's folders, hosts and VMs.
    await mkdir(outDir, { recursive: true, mode: 0o700 });
    // Beside the bundle, so that the rename stays on one volume; removed whatever happens.
    staging = await mkdtemp(join(outDir, `.${id}-`));
    const settings = {
      agent: await readSettingsFile(layout.store),
      app: await readSettingsFile(join(layout.home, 'app.json')),
    };
    const texts = Object.values(settings).flatMap((file) =>
      file.state === 'read' ? [file.text] : [],
    );
    const redactor = new Redactor(await findSecrets(layout.home, texts));
    const folder = new BundleFolder(join(staging, id), redactor);
    await fillBundle(folder, { id, home: layout.home, settings, backend: options.backend, signal });
    signal?.throwIfAborted();
    await pipeline(
      createTar({ gzip: true, cwd: staging, portable: true }, [id]),
      createWriteStream(partial, { mode: 0o600 }),
      { signal },
    );
    await rename(partial, path);
    return { id, path, sizeBytes: (await stat(path)).size };
  } catch (error) {
    // A path that cannot hold the partial (ENOTDIR) cannot have one either.
    await rm(partial, { force: true }).catch(() => undefined);
    if (signal?.aborted) throw new ProvisimError('CANCELLED', { cause: error });
    if (!isProvisimError(error) && isFolderProblem(error)) {
      throw folderFailure(error, outDir, 'report folder', OUT_DIR_ADVICE);
    }
    throw error;
  } finally {
    if (staging !== undefined) await rm(staging, { recursive: true, force: true });
  }
}
