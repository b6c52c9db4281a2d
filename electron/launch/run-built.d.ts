// Types for run-built.js, which stays JavaScript because Node runs it before anything is built.

/** Whether every bundle is there and no file it was built from changed since (one stat each). */
export function isNodeBuildFresh(root?: string, bundleDir?: string): boolean;

/** Builds dist/node when it is missing or older than a source, saying so in one stderr line. */
export function ensureNodeBuild(): void;

/** Runs `dist/node/<name>.mjs` in this process, building it first when it is stale. */
export function runBuilt(name: string): Promise<void>;
