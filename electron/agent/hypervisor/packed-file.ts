import { copyFile, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { errnoCode } from '../../archive/entry-safety.ts';
import { safeVmFileName } from '../../archive/vm-bundle.ts';
import { pathExists } from '../path-exists.ts';

const MAX_NAME_ATTEMPTS = 1000;

/** Renames a file, copying it when the target is on another disk. */
export async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if (errnoCode(error) !== 'EXDEV') throw error;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

/**
 * Moves a packed VM into `vmDir` as `<name>.pvmp`, a name whose `.pvm` is free too (unpacking
 * writes the bundle beside it), and returns its new path. Never replaces anything. `onClaimed`
 * hears the path once its empty file is ours and before a byte moves, for a crash note.
 */
export async function placePackedFile(
  file: string,
  vmDir: string,
  name: string,
  onClaimed?: (target: string) => Promise<void>,
): Promise<string> {
  const base = safeVmFileName(name);
  try {
    await mkdir(vmDir, { recursive: true });
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt += 1) {
      const stem = join(vmDir, attempt === 1 ? base : `${base} (${attempt})`);
      if (await pathExists(`${stem}.pvm`)) continue;
      const target = `${stem}.pvmp`;
      // Creating the empty file claims the name; the move then replaces only that file, ours.
      const claim = await open(target, 'wx').catch((error: unknown) => {
        if (errnoCode(error) === 'EEXIST') return undefined;
        throw error;
      });
      if (!claim) continue;
      await claim.close();
      try {
        await onClaimed?.(target);
        await moveFile(file, target);
      } catch (error) {
        await rm(target, { force: true });
        throw error;
      }
      return target;
    }
    throw new Error(`no free name after ${MAX_NAME_ATTEMPTS} attempts`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProvisimError('REGISTRATION_FAILED', {
      message: `The packed VM "${name}" could not be moved into the VM folder (${reason}). Check that the VM folder is writable, then try again.`,
      cause: error,
    });
  }
}
