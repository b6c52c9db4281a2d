import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/** What a partial download was fetched from, stored beside it to validate a later resume. */
export interface ResumeState {
  readonly url: string;
  readonly sha256: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly total?: number;
}

/** The stored state, or undefined when it is missing or unreadable. */
export async function readResumeState(path: string): Promise<ResumeState | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { url, sha256, etag, lastModified, total } = raw as Record<string, unknown>;
  if (typeof url !== 'string' || typeof sha256 !== 'string') return undefined;
  return {
    url,
    sha256,
    ...(typeof etag === 'string' ? { etag } : {}),
    ...(typeof lastModified === 'string' ? { lastModified } : {}),
    ...(Number.isSafeInteger(total) && (total as number) >= 0 ? { total: total as number } : {}),
  };
}

/** Writes the state through a temp file so a crash never leaves half a JSON. */
export async function writeResumeState(path: string, state: ResumeState): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, `${JSON.stringify(state)}\n`);
  await rename(temp, path);
}

/** Removes the state file if it exists. */
export async function removeResumeState(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Whether a stored partial belongs to this download: same image (checksum) or same link. */
export function isResumable(
  state: ResumeState | undefined,
  url: string,
  sha256: string,
): state is ResumeState {
  // The server's validators (If-Range, ETag, Content-Range) still decide whether the bytes fit.
  return state !== undefined && (state.sha256 === sha256 || state.url === url);
}
