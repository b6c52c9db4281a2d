import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILD_MANIFEST,
  NODE_BUNDLE_DIR,
  NODE_ENTRIES,
  buildNodeBundles,
  type BuildManifest,
} from '../../electron/launch/node-bundles.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// `new URL('<literal>', import.meta.url)`, the way the sources find files beside them.
const URL_FROM_MODULE = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;
// Static and dynamic imports left in a bundle.
const IMPORT_SPECIFIER = /(?:^import\s[^;]*?from\s*|\bimport\()\s*"([^"]+)"/gm;

describe('the Node bundles', () => {
  let dir: string;
  let manifest: BuildManifest;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provisim-node-build-'));
    manifest = await buildNodeBundles({ root: ROOT, outDir: dir });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('builds one bundle per entry point, each with its source and package.json inlined', async () => {
    expect(manifest.outputs).toEqual(NODE_ENTRIES.map((entry) => `${entry.name}.mjs`));
    expect(manifest.inputs).toEqual(
      expect.arrayContaining([...NODE_ENTRIES.map((entry) => entry.source), 'package.json']),
    );
    expect(await readdir(dir)).toEqual(
      expect.arrayContaining([...manifest.outputs, BUILD_MANIFEST]),
    );
    expect(JSON.parse(await readFile(join(dir, BUILD_MANIFEST), 'utf8'))).toEqual(manifest);
  });

  it('inlines every project file and leaves the packages in node_modules as imports', async () => {
    const files = (await readdir(dir)).filter((name) => name.endsWith('.mjs'));
    let all = '';
    for (const file of files) {
      const code = await readFile(join(dir, file), 'utf8');
      all += code;
      const specifiers = [...code.matchAll(IMPORT_SPECIFIER)].map((match) => match[1]!);
      // The only relative imports are the entries and chunks the build put beside each other.
      for (const specifier of specifiers.filter((name) => /^[./]/.test(name))) {
        expect(specifier, file).toMatch(/^\.\/[\w-]+\.mjs$/);
        expect(files, file).toContain(specifier.slice(2));
      }
      expect(code, file).not.toContain('// node_modules/');
    }
    expect(all).toMatch(/from "commander"/);
  });

  it('keeps each command in a chunk of its own, so `run` loads no web framework', async () => {
    const cli = await readFile(join(dir, 'provisim.mjs'), 'utf8');
    expect(cli).not.toMatch(/from "fastify"/);
    const runChunk = (await readdir(dir)).find((name) => /^run-command-\w+\.mjs$/.test(name));
    expect(await readFile(join(dir, runChunk!), 'utf8')).not.toMatch(/from "fastify"/);
  });

  it('bundles no module that asks whether it is the program (all share one import.meta.url)', async () => {
    for (const file of (await readdir(dir)).filter((name) => name.endsWith('.mjs'))) {
      expect(await readFile(join(dir, file), 'utf8'), file).not.toContain('process.argv[1]');
    }
  });

  it('builds every bundle that package.json and the provisim bin start', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      bin: Record<string, string>;
    };
    const bin = await readFile(join(ROOT, pkg.bin.provisim!), 'utf8');
    const started = [
      ...Object.values(pkg.scripts).flatMap((script) =>
        [...script.matchAll(/run-built\.js (\S+)/g)].map((match) => match[1]!),
      ),
      ...[...bin.matchAll(/runBuilt\('([^']+)'\)/g)].map((match) => match[1]!),
    ];
    expect(new Set(started)).toEqual(new Set(['provisim', 'start', 'start-web']));
    const built = NODE_ENTRIES.map((entry) => entry.name);
    for (const name of started) expect(built).toContain(name);
  });

  it('finds every file a module locates from import.meta.url from its bundle too', async () => {
    // Any bundle stands for all: they share one folder.
    const bundleUrl = pathToFileURL(join(ROOT, NODE_BUNDLE_DIR, manifest.outputs[0]!));
    const bundles = manifest.outputs.map((output) => join(ROOT, NODE_BUNDLE_DIR, output));
    const entrySources = NODE_ENTRIES.map((entry) => join(ROOT, entry.source));
    let checked = 0;
    for (const input of manifest.inputs.filter((path) => path.endsWith('.ts'))) {
      const source = (await readFile(join(ROOT, input), 'utf8'))
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
        .join('\n');
      for (const [, , path] of source.matchAll(URL_FROM_MODULE)) {
        const fromSource = fileURLToPath(new URL(path!, pathToFileURL(join(ROOT, input))));
        const fromBundle = fileURLToPath(new URL(path!, bundleUrl));
        checked++;
        // An entry is found as its bundle from a bundle and as its source under tsx (a worker).
        if (bundles.includes(fromBundle) || entrySources.includes(fromSource)) continue;
        expect(fromBundle, `${input}: '${path}'`).toBe(fromSource);
      }
    }
    // The CLI's scenario runner, browser mode's page and the launcher's project folder at least.
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});
