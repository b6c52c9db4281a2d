import { fileURLToPath } from 'node:url';
import { NODE_BUNDLE_DIR, buildNodeBundles } from './node-bundles.ts';

// `npm run build:node`, also npm's `prepare` (so `npm ci` and `npm install` build) and what
// run-built.js runs when dist/node is stale.
const manifest = await buildNodeBundles({ root: fileURLToPath(new URL('../..', import.meta.url)) });
console.log(`Built ${manifest.outputs.join(', ')} in ${NODE_BUNDLE_DIR}`);
