import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NODE_BUNDLE_DIR } from '../../electron/launch/node-bundles.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'electron', 'cli', 'provisim.js');
const BUNDLE = join(ROOT, NODE_BUNDLE_DIR, 'provisim.mjs');
const tempDir = useTempDirs();
const run = promisify(execFile);

// Loaded into the child with --import: a module hook that appends every URL the child resolves
// to $IMPORT_LOG. A data: URL, so the child needs nothing from this project or from tsx.
const RESOLVE_HOOK = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.IMPORT_LOG, resolved.url + '\\n');
  return resolved;
}`;
const RECORD_IMPORTS = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
  register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`)});`,
)}`;

async function packageVersion(): Promise<string> {
  return (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}

describe('the built provisim command', () => {
  it("prints package.json's version from the bundle in dist/node", async () => {
    const { stdout } = await run(process.execPath, [BUNDLE, '--version']);
    expect(stdout).toBe(`${await packageVersion()}\n`);
  });

  it('answers --version from the bin with the same line as the bundle', async () => {
    const fromBundle = await run(process.execPath, [BUNDLE, '-V']);
    for (const flag of ['--version', '-V']) {
      const fromBin = await run(process.execPath, [BIN, flag]);
      expect(fromBin.stdout).toBe(fromBundle.stdout);
    }
  });

  it('runs the bundle on plain Node: the process never loads tsx', async () => {
    const log = join(await tempDir(), 'imports.log');
    const { stdout } = await run(process.execPath, ['--import', RECORD_IMPORTS, BIN, '--help'], {
      env: { ...process.env, IMPORT_LOG: log },
    });
    expect(stdout).toContain('Usage: provisim');
    const imported = (await readFile(log, 'utf8')).trim().split('\n');
    expect(imported).toContain(pathToFileURL(BUNDLE).href);
    expect(imported.filter((url) => url.includes('/node_modules/tsx/'))).toEqual([]);
  });
});
