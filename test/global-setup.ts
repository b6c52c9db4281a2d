import { fileURLToPath } from 'node:url';
import { buildNodeBundles } from '../electron/launch/node-bundles.ts';

/** Builds dist/node once before the tests: they start the CLI as it ships, from its bundle. */
export async function setup(): Promise<void> {
  await buildNodeBundles({ root: fileURLToPath(new URL('..', import.meta.url)) });
}
