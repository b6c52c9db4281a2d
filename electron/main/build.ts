import { join } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';

/** Where the build reads sources and writes bundles. */
export interface DesktopBuildOptions {
  /** The project folder (holds electron/ and shared/). */
  readonly root: string;
  /** Where `main/main.cjs` and `preload/preload.cjs` go (default `<root>/dist`). */
  readonly outDir?: string;
  /** Source maps beside the bundles (default true; the package leaves them out). */
  readonly sourcemap?: boolean;
}

/** The files one build wrote and what went into them. */
export interface DesktopBuild {
  readonly main: string;
  readonly preload: string;
  readonly metafiles: { readonly main: Metafile; readonly preload: Metafile };
}

/** The package.json `main` of the desktop app (Electron and electron-builder read it). */
export const DESKTOP_MAIN = 'dist/main/main.cjs';

// The agent core is ESM. In a CommonJS bundle esbuild leaves `import.meta` empty, so its fields
// are defined from the bundle's own CommonJS names (nothing in the core relies on them today).
const IMPORT_META_SHIM =
  'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;';

/** Bundles the main process and the preload into single CommonJS files; electron stays external. */
export async function buildDesktop(options: DesktopBuildOptions): Promise<DesktopBuild> {
  const outDir = options.outDir ?? join(options.root, 'dist');
  const common = {
    bundle: true,
    format: 'cjs',
    external: ['electron'],
    metafile: true as const,
    sourcemap: options.sourcemap === false ? false : 'linked',
    logLevel: 'silent',
    absWorkingDir: options.root,
  } satisfies BuildOptions;
  const main = join(outDir, 'main', 'main.cjs');
  const preload = join(outDir, 'preload', 'preload.cjs');
  const [mainResult, preloadResult] = await Promise.all([
    build({
      ...common,
      entryPoints: [join(options.root, 'electron', 'main', 'main.ts')],
      outfile: main,
      platform: 'node',
      target: 'node20',
      banner: { js: IMPORT_META_SHIM },
      define: {
        'import.meta.url': '__importMetaUrl',
        'import.meta.dirname': '__dirname',
        'import.meta.filename': '__filename',
      },
    }),
    // A sandboxed preload may require only electron and a few polyfills: the browser platform
    // makes any Node built-in a build error instead of a blank window at run time.
    build({
      ...common,
      entryPoints: [join(options.root, 'electron', 'preload', 'preload.ts')],
      outfile: preload,
      platform: 'browser',
      target: 'chrome130',
    }),
  ]);
  return {
    main,
    preload,
    metafiles: { main: mainResult.metafile, preload: preloadResult.metafile },
  };
}
