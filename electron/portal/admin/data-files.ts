import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { writeFile } from 'atomically';
import type { z } from 'zod';

/** Why the portal's data folder cannot be used. */
export type PortalDataErrorCode = 'STATE_FILE_INVALID' | 'STATE_NOT_SAVED' | 'ADMIN_TOKEN_INVALID';

/** A file of the portal's data folder that cannot be used, with a sentence saying what to do. */
export class PortalDataError extends Error {
  override readonly name = 'PortalDataError';
  readonly code: PortalDataErrorCode;
  readonly file: string;

  constructor(code: PortalDataErrorCode, file: string, message: string, cause?: unknown) {
    super(message, { cause });
    this.code = code;
    this.file = file;
  }
}

/** Reads and checks a JSON state file; undefined when it does not exist. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw invalidState(file, `it cannot be read (${errorCode(error)})`, error);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalidState(file, 'it is not valid JSON', error);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.map(String).join('.') || 'top level';
    throw invalidState(file, `it does not have the expected fields (${where})`);
  }
  return parsed.data;
}

/** The error for a state file the portal cannot load. */
export function invalidState(file: string, why: string, cause?: unknown): PortalDataError {
  const message = `The portal state in ${file} cannot be loaded: ${why}. Restore the file from a backup, or move it out of the data folder to start again from the organisation configuration.`;
  return new PortalDataError('STATE_FILE_INVALID', file, message, cause);
}

/**
 * Writes JSON through a temporary file renamed over the old one, readable by the owner only: a
 * crash or a failed write leaves the previous file whole.
 */
export async function writeJsonFile(
  file: string,
  value: unknown,
  options: { readonly fsync?: boolean } = {},
): Promise<void> {
  let temp: string | undefined;
  try {
    await writeFile(file, `${JSON.stringify(value, null, 2)}\n`, {
      mode: 0o600,
      fsync: options.fsync ?? true,
      // A short timeout: retrying a busy file for seconds would hold the admin's request.
      timeout: 1000,
      tmpCreate: (path) => (temp = `${path}.tmp-${randomBytes(6).toString('hex')}`),
      tmpPurge: false,
    });
  } catch (error) {
    // atomically removes its temporary file without waiting; waiting here means a failed write
    // has left nothing behind by the time it is reported.
    if (temp !== undefined) await rm(temp, { force: true });
    throw error;
  }
}

/** The errno code of a file system error, or its text. */
export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
