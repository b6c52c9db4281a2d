// Plain JavaScript: Node runs this file before anything is built. The `provisim` bin and
// `npm start` go through it to the bundles in dist/node, which `npm install` builds (prepare).
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// NODE_BUNDLE_DIR and BUILD_MANIFEST in node-bundles.ts name the same folder and file.
const BUNDLE_DIR = join(ROOT, 'dist', 'node');
const MANIFEST = 'build-manifest.json';
const BUILD_SCRIPT = join(ROOT, 'electron', 'launch', 'build-node.ts');

/** Whether every bundle is there and no file it was built from changed since (one stat each). */
export function isNodeBuildFresh(root = ROOT, bundleDir = BUNDLE_DIR) {
  try {
    const manifest = JSON.parse(readFileSync(join(bundleDir, MANIFEST), 'utf8'));
    for (const output of manifest.outputs) statSync(join(bundleDir, output));
    return manifest.inputs.every(
      (input) => statSync(join(root, input)).mtimeMs < manifest.startedAtMs,
    );
  } catch {
    return false;
  }
}

/** Builds dist/node when it is missing or older than a source, saying so in one stderr line. */
export function ensureNodeBuild() {
  if (isNodeBuildFresh()) return;
  process.stderr.write('provisim: building dist/node (missing or older than its sources)\n');
  // In a child process, so that tsx (for the build script) never loads into the one that runs.
  // Its stdout is dropped: the CLI's stdout may be NDJSON that another program reads.
  const build = spawnSync(process.execPath, ['--import', 'tsx', BUILD_SCRIPT], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    throw new Error(
      `Building dist/node failed (${build.error?.message ?? `exit ${build.status}`}).`,
    );
  }
}

/** Runs `dist/node/<name>.mjs` in this process, building it first when it is stale. */
export async function runBuilt(name) {
  try {
    ensureNodeBuild();
  } catch (error) {
    process.stderr.write(`provisim: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  await import(pathToFileURL(join(BUNDLE_DIR, `${name}.mjs`)).href);
}

// `node electron/launch/run-built.js <name> [args]` (npm start, npm run start:web). The name
// leaves argv, as the bundles read their own arguments from argv[2] on.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name] = process.argv.splice(2, 1);
  await runBuilt(name);
}
