import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { list } from 'tar';

/** A report bundle as read back: each entry's text by path, and every byte of the tar. */
export interface ReadBundle {
  readonly entries: ReadonlyMap<string, string>;
  /** The whole tar, gunzipped: headers, padding and all, for looking for secrets. */
  readonly tarBytes: Buffer;
}

/** Lists a `.tar.gz` with node-tar and reads each file entry. */
export async function readBundle(path: string): Promise<ReadBundle> {
  const entries = new Map<string, string>();
  await list({
    file: path,
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => entries.set(entry.path, Buffer.concat(chunks).toString('utf8')));
    },
  });
  return { entries, tarBytes: gunzipSync(await readFile(path)) };
}

/** The paths of a bundle's files, relative to its top folder (which must be `id`). */
export function partsOf(bundle: ReadBundle, id: string): string[] {
  return [...bundle.entries.keys()]
    .filter((path) => !path.endsWith('/'))
    .map((path) => {
      if (!path.startsWith(`${id}/`)) throw new Error(`${path} is outside the folder ${id}/`);
      return path.slice(id.length + 1);
    })
    .sort();
}
