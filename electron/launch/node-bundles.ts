import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One process entry point and the name of its bundle (`dist/node/<name>.mjs`). */
export interface NodeEntry {
  readonly name: string;
  /** The source, relative to the project folder. */
  readonly source: string;
}

/**
 * Every Node process the project starts, one self-contained ESM bundle each, all in one folder.
 * An entry runs its program at the top level; nothing it imports may ask whether it is the main
 * module, as in a bundle import.meta.url is the bundle's own. A worker_threads Worker is one more
 * line here, e.g. `{ name: 'hash-worker', source: 'electron/agent/download/hash-worker.ts' }`: the
 * code that starts it finds it beside its own bundle, `new URL('./hash-worker.mjs', import.meta.url)`.
 */
export const NODE_ENTRIES: readonly NodeEntry[] = [
  { name: 'provisim', source: 'electron/cli/main.ts' },
  { name: 'start', source: 'electron/launch/npm-start.ts' },
  { name: 'start-web', source: 'electron/web-host/start-web.ts' },
];

// Two folders below the project, as the sources in electron/<area>/ are: a path a module builds
// from import.meta.url ('../../dist/renderer') resolves to the same place from its bundle.
/** Where the bundles go, relative to the project folder (electron/launch/run-built.js agrees). */
export const NODE_BUNDLE_DIR = 'dist/node';

/** The file beside the bundles that says what they were built from (run-built.js reads it). */
export const BUILD_MANIFEST = 'build-manifest.json';

/** What run-built.js needs to tell a fresh build from a stale one. */
export interface BuildManifest {
  /** When the build began: a source changed at or after this is not in the bundles. */
  readonly startedAtMs: number;
  /** The bundles, relative to the manifest's folder. */
  readonly outputs: readonly string[];
  /** Every project file the bundles hold, and this file, relative to the project folder. */
  readonly inputs: readonly string[];
}

/** Where the build reads sources and writes bundles. */
export interface NodeBuildOptions {
  /** The project folder (holds electron/, shared/ and package.json). */
  readonly root: string;
  /** Where the bundles and the manifest go (default `<root>/dist/node`). */
  readonly outDir?: string;
}

/** Bundles every entry with the project's own code inlined and node_modules left as imports. */
export async function buildNodeBundles(options: NodeBuildOptions): Promise<BuildManifest> {
  const outDir = options.outDir ?? join(options.root, NODE_BUNDLE_DIR);
  const startedAtMs = Date.now();
  const result = await build({
    entryPoints: NODE_ENTRIES.map((entry) => ({
      in: join(options.root, entry.source),
      out: entry.name,
    })),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    // Code behind a dynamic import (each CLI command) goes to a chunk of its own, loaded only
    // when it runs. Chunks are named by their content, so a rebuild adds new ones and never
    // changes one a running process may still import.
    splitting: true,
    // Beside the entries, two folders below the project as the sources are: a path built from
    // import.meta.url resolves the same from a chunk.
    chunkNames: '[name]-[hash]',
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Read only with NODE_OPTIONS=--enable-source-maps, for stack traces that name the sources.
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'silent',
    absWorkingDir: options.root,
  });
  await mkdir(outDir, { recursive: true });
  // Written beside and renamed into place, chunks before the entries that import them: the CLI
  // may be starting from these files right now (tests and scenario runs start it in parallel,
  // and any of them may rebuild).
  const entries = new Set(NODE_ENTRIES.map((entry) => join(outDir, `${entry.name}.mjs`)));
  const isEntry = (path: string) => entries.has(path) || entries.has(path.replace(/\.map$/, ''));
  const chunks = result.outputFiles.filter((file) => !isEntry(file.path));
  await Promise.all(chunks.map((file) => replaceFile(file.path, file.contents)));
  await Promise.all(
    result.outputFiles
      .filter((file) => isEntry(file.path))
      .map((file) => replaceFile(file.path, file.contents)),
  );
  await removeOldChunks(outDir, new Set(chunks.map((file) => basename(file.path))));
  const manifest: BuildManifest = {
    startedAtMs,
    outputs: NODE_ENTRIES.map((entry) => `${entry.name}.mjs`),
    inputs: [
      ...Object.keys(result.metafile.inputs),
      relative(options.root, fileURLToPath(import.meta.url)),
    ],
  };
  await replaceFile(join(outDir, BUILD_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

// A chunk no build holds any more may still be loading in a process started from the build
// before; after a day none is.
const OLD_CHUNK_MS = 24 * 60 * 60 * 1000;
const CHUNK_NAME = /-[A-Z0-9]{8}\.mjs(\.map)?$/;

async function removeOldChunks(dir: string, current: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(dir)) {
    if (current.has(name) || !CHUNK_NAME.test(name)) continue;
    const path = join(dir, name);
    const { mtimeMs } = await stat(path);
    if (Date.now() - mtimeMs > OLD_CHUNK_MS) await rm(path, { force: true });
  }
}

async function replaceFile(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(temporary, contents);
  await rename(temporary, path);
}
