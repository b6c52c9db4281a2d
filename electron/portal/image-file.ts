import { close, fstat, open } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { promisify } from 'node:util';

// Numeric descriptors, not FileHandle: a FileHandle read stream is markedly slower.
const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);

/** URL path under which the portal serves the files of `<dataDir>/images`. */
export const IMAGES_PATH = '/images/';

/** An image file opened for serving, with its validators. */
export interface OpenedImage {
  /** An open descriptor; whoever receives it closes it (a read stream with autoClose does). */
  readonly fd: number;
  /** The file's real path. */
  readonly path: string;
  readonly size: number;
  readonly mtime: Date;
  /** Strong validator made of modification time and size, as nginx does. */
  readonly etag: string;
}

/**
 * The file below imagesDir that a request path (still percent-encoded, query allowed) names, or
 * null when the path is malformed or would leave the folder.
 */
export function imageFileFor(imagesDir: string, requestPath: string): string | null {
  const end = requestPath.search(/[?#]/);
  const path = end === -1 ? requestPath : requestPath.slice(0, end);
  if (!path.startsWith(IMAGES_PATH)) return null;
  const segments: string[] = [];
  for (const raw of path.slice(IMAGES_PATH.length).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) {
      return null;
    }
    segments.push(segment);
  }
  const root = resolve(imagesDir);
  const file = resolve(root, ...segments);
  return file.startsWith(root + sep) ? file : null;
}

/** Opens the regular file a request path names below imagesDir; null when there is none. */
export async function openImage(
  imagesDir: string,
  requestPath: string,
): Promise<OpenedImage | null> {
  const file = imageFileFor(imagesDir, requestPath);
  if (file === null) return null;
  let fd: number;
  let real: string;
  try {
    // A symlink inside the folder must not lead out of it either.
    const root = await realpath(imagesDir);
    real = await realpath(file);
    if (!real.startsWith(root + sep)) return null;
    fd = await openFd(real, 'r');
  } catch {
    return null;
  }
  const info = await fstatFd(fd).catch(() => null);
  if (!info?.isFile()) {
    await closeImage(fd);
    return null;
  }
  const etag = `"${Math.floor(info.mtimeMs).toString(16)}-${info.size.toString(16)}"`;
  return { fd, path: real, size: info.size, mtime: info.mtime, etag };
}

/** Closes a descriptor from openImage that was not handed to a stream. */
export async function closeImage(fd: number): Promise<void> {
  await closeFd(fd).catch(() => undefined);
}

/** The file behind an image URL when that URL is hosted on this portal; null otherwise. */
export function hostedImageFile(imagesDir: string, url: string, baseUrl: string): string | null {
  if (!URL.canParse(url)) return null;
  const target = new URL(url);
  if (target.origin !== new URL(baseUrl).origin) return null;
  return imageFileFor(imagesDir, target.pathname);
}

/** Size of a hosted image file; undefined when it is missing or not a file. */
export async function imageFileSize(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}
