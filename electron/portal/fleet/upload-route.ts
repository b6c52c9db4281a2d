import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { UploadAnswer } from '../../../shared/admin-fleet.ts';
import { AdminError } from '../admin/admin-error.ts';
import { checksumHex, shortHex } from './checksum-text.ts';

/** Where uploads go: `<imagesDir>/uploads`, through temporary files in `incomingDir`. */
export interface UploadPlaces {
  readonly imagesDir: string;
  /** Outside the served folder, on the same file system, so that the final rename is atomic. */
  readonly incomingDir: string;
  /** Told how each upload ended, for logs and tests. */
  readonly onSettled?: (outcome: UploadOutcome) => void;
}

/** How an upload ended. */
export interface UploadOutcome {
  readonly name: string;
  readonly result: 'saved' | 'refused' | 'aborted';
}

// A name a Finder user would give, with one of the accepted extensions; no separators, no dotfiles.
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()+-]{0,200}\.(pvmp|zip|sha256\.txt)$/i;
const CHECKSUM_FILE = /\.sha256\.txt$/i;
const MAX_CHECKSUM_FILE_BYTES = 4_096;

/** Registers `PUT /uploads/{file name}` on the admin scope: a .pvmp, .zip or .sha256.txt body. */
export function registerUploadRoute(admin: FastifyInstance, places: UploadPlaces): void {
  const uploadsDir = join(places.imagesDir, 'uploads');
  void admin.register(async (scope) => {
    // Any content type: the body is the file, streamed to disk rather than parsed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.put('/uploads/:name', async (request, reply): Promise<UploadAnswer> => {
      const { name } = request.params as { name: string };
      const body = request.body as Readable | undefined;
      const settled = (result: UploadOutcome['result']) => places.onSettled?.({ name, result });
      try {
        if (!NAME.test(name)) throw badName(name);
        // Golden images pin the checksum of what this URL serves: replacing it must be meant.
        const replace = (request.query as { replace?: string }).replace === 'true';
        if (!replace && existsSync(join(uploadsDir, name))) throw exists(name);
        await mkdir(uploadsDir, { recursive: true });
        await mkdir(places.incomingDir, { recursive: true });
        const expected = CHECKSUM_FILE.test(name)
          ? undefined
          : await expectedChecksum(request.headers['x-checksum'], uploadsDir, name);
        const temp = join(places.incomingDir, `${randomUUID()}.part`);
        const saved = await receive(body, temp).catch(async (error) => {
          await rm(temp, { force: true });
          throw error;
        });
        const answer = await settle(saved, temp, { uploadsDir, name, expected });
        settled('saved');
        return reply.code(201).send(answer);
      } catch (error) {
        const aborted = request.raw.destroyed && !(error instanceof AdminError);
        settled(aborted ? 'aborted' : 'refused');
        // The rest of a refused body is not worth reading: close the connection instead.
        reply.header('connection', 'close');
        throw aborted || error instanceof AdminError ? error : notSaved(name, error);
      }
    });
  });
}

function exists(name: string): AdminError {
  return new AdminError(
    'UPLOAD_EXISTS',
    `The portal already hosts ${name}, and golden images may use it with its checksum. Upload under a new name, or add ?replace=true and then update the checksum of every golden image that uses it.`,
  );
}

async function receive(body: Readable | undefined, temp: string) {
  const hash = createHash('sha256');
  let size = 0;
  if (body) {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(temp, { mode: 0o644 }),
    );
  }
  return { sha256: hash.digest('hex'), size };
}

async function settle(
  saved: { sha256: string; size: number },
  temp: string,
  target: { uploadsDir: string; name: string; expected: string | undefined },
): Promise<UploadAnswer> {
  const { uploadsDir, name, expected } = target;
  try {
    if (saved.size === 0) {
      throw new AdminError(
        'UPLOAD_EMPTY',
        `The upload of ${name} has no content. Send the file as the body of the PUT request (curl -T <file>).`,
      );
    }
    let checksum = `${saved.sha256}  ${name}`;
    if (expected === undefined) {
      if (saved.size > MAX_CHECKSUM_FILE_BYTES) throw notChecksum(name);
      checksum = `${checksumHex(await readFile(temp, 'utf8'), name)}  ${name.replace(CHECKSUM_FILE, '.pvmp')}`;
    } else if (saved.sha256 !== expected) {
      throw new AdminError(
        'CHECKSUM_MISMATCH',
        `The uploaded ${name} has the SHA-256 ${shortHex(saved.sha256)}, not ${shortHex(expected)} as expected, so it was not kept. The file was changed or cut short on the way: upload it again, or give the checksum of this very file.`,
      );
    }
    await rename(temp, join(uploadsDir, name));
    return { url: `/images/uploads/${encodeURIComponent(name)}`, checksum, sizeBytes: saved.size };
  } finally {
    await rm(temp, { force: true });
  }
}

async function expectedChecksum(header: string | string[] | undefined, dir: string, name: string) {
  const given = Array.isArray(header) ? header[0] : header;
  if (given !== undefined) return checksumHex(given, 'the x-checksum header');
  const file = name.replace(/\.(pvmp|zip)$/i, '.sha256.txt');
  const text = await readFile(join(dir, file), 'utf8').catch(() => undefined);
  if (text !== undefined) return checksumHex(text, file);
  throw new AdminError(
    'CHECKSUM_REQUIRED',
    `The portal needs the SHA-256 of ${name} to check the upload: send it in an x-checksum header (the hex digits or the "shasum -a 256" line), or upload ${file} first.`,
  );
}

function badName(name: string): AdminError {
  return new AdminError(
    'UPLOAD_NAME_INVALID',
    `"${name.slice(0, 200)}" cannot be uploaded: give a plain file name (letters, digits, spaces, ".", "_", "-", no folders) ending in .pvmp, .zip or .sha256.txt.`,
  );
}

function notSaved(name: string, error: unknown): AdminError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new AdminError(
    'UPLOAD_NOT_SAVED',
    `The portal could not save ${name} in its data folder (${code}). Check the folder's free space and permissions, then upload again.`,
  );
}

function notChecksum(name: string): AdminError {
  return new AdminError(
    'CHECKSUM_INVALID',
    `${name} is not a checksum file: it should hold one line, the SHA-256 as "shasum -a 256" prints it.`,
  );
}
