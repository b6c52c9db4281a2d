import { fileURLToPath } from 'node:url';
import { buildDesktop } from '../main/build.ts';

// `npm run build:main`: the Electron main process and preload bundles, into dist/. A script of
// its own, as the library it calls is bundled into dist/node/start.mjs and must run nothing.
const built = await buildDesktop({ root: fileURLToPath(new URL('../..', import.meta.url)) });
console.log(`Built ${built.main} and ${built.preload}`);
