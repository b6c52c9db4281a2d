import { mkdir, rename, writeFile } from 'node:fs/promises';
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
    // No splitting: each bundle is one file, so a rebuild replacing it cannot mix old and new
    // chunks under a process that is loading it.
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
  // Written beside and renamed into place: the CLI may be starting from these files right now
  // (tests and scenario runs start it in parallel, and any of them may rebuild).
  await Promise.all(result.outputFiles.map((file) => replaceFile(file.path, file.contents)));
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

async function replaceFile(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(temporary, contents);
  await rename(temporary, path);
}
