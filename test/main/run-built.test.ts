import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildManifest } from '../../electron/launch/node-bundles.ts';
import { BUILD_MANIFEST } from '../../electron/launch/node-bundles.ts';
import { isNodeBuildFresh } from '../../electron/launch/run-built.js';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const SOURCES_SAVED_AT = new Date('2026-01-01T10:00:00Z');
const BUILD_STARTED_AT = new Date('2026-01-01T10:00:05Z');

// A project folder with two sources and one bundle built from them after they were saved.
async function builtProject(): Promise<{ root: string; bundleDir: string }> {
  const root = await tempDir('provisim-run-built-');
  const bundleDir = join(root, 'dist', 'node');
  await mkdir(join(root, 'src'), { recursive: true });
  await mkdir(bundleDir, { recursive: true });
  for (const source of ['src/a.ts', 'src/b.ts']) {
    await writeFile(join(root, source), '');
    await utimes(join(root, source), SOURCES_SAVED_AT, SOURCES_SAVED_AT);
  }
  await writeFile(join(bundleDir, 'cli.mjs'), '');
  const manifest: BuildManifest = {
    startedAtMs: BUILD_STARTED_AT.getTime(),
    outputs: ['cli.mjs'],
    inputs: ['src/a.ts', 'src/b.ts'],
  };
  await writeFile(join(bundleDir, BUILD_MANIFEST), JSON.stringify(manifest));
  return { root, bundleDir };
}

describe('isNodeBuildFresh', () => {
  it('holds a build fresh while every bundle is there and no source changed since it began', async () => {
    const { root, bundleDir } = await builtProject();
    expect(isNodeBuildFresh(root, bundleDir)).toBe(true);
  });

  it('calls a build stale once a source it holds is saved after the build began', async () => {
    const { root, bundleDir } = await builtProject();
    await utimes(join(root, 'src/b.ts'), BUILD_STARTED_AT, BUILD_STARTED_AT);
    expect(isNodeBuildFresh(root, bundleDir)).toBe(false);
  });

  it('calls a build stale when a source it holds is gone', async () => {
    const { root, bundleDir } = await builtProject();
    await rm(join(root, 'src/a.ts'));
    expect(isNodeBuildFresh(root, bundleDir)).toBe(false);
  });

  it('calls a build stale when a bundle is missing', async () => {
    const { root, bundleDir } = await builtProject();
    await rm(join(bundleDir, 'cli.mjs'));
    expect(isNodeBuildFresh(root, bundleDir)).toBe(false);
  });

  it('calls a folder with no build manifest stale', async () => {
    const { root, bundleDir } = await builtProject();
    await rm(join(bundleDir, BUILD_MANIFEST));
    expect(isNodeBuildFresh(root, bundleDir)).toBe(false);
  });
});
