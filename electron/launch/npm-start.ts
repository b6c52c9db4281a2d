import { start } from './start.ts';

// `npm start`, bundled as dist/node/start.mjs: build what is stale, then the app. start.ts stays
// free of top-level work so that tests can import it.
const code = await start(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
