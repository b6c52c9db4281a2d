#!/usr/bin/env node
// The CLI runs as built JavaScript, dist/node/provisim.mjs, which `npm install` builds;
// run-built.js rebuilds it first when a source changed since, so it never runs stale code.
import { readFileSync } from 'node:fs';
import { runBuilt } from '../launch/run-built.js';

const [flag, ...rest] = process.argv.slice(2);
if ((flag === '--version' || flag === '-V') && rest.length === 0) {
  // Answered before the CLI loads: importing every command's dependencies (fastify, got, zod...)
  // takes longer than a version check should. The CLI prints the same line (a test holds it).
  const { version } = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  );
  process.stdout.write(`${version}\n`);
} else {
  await runBuilt('provisim');
}
