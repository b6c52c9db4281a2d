import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ContractClient } from '../../shared/ipc-contract.ts';
import { DESKTOP_MAIN, buildDesktop } from '../../electron/main/build.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tempDir = useTempDirs();

// A stand-in `electron` package beside the bundles: it records what they do on globalThis.
const ELECTRON_STUB = `
const calls = (globalThis.__electronStub = { exposed: [], invoked: [], quit: 0, locks: 0 });
exports.contextBridge = { exposeInMainWorld: (key, api) => calls.exposed.push([key, api]) };
exports.ipcRenderer = {
  invoke: async (channel, payload) => (calls.invoked.push([channel, payload]), { ok: true, value: null }),
  on() {},
  removeListener() {},
};
exports.app = {
  requestSingleInstanceLock: () => (calls.locks++, false),
  quit: () => calls.quit++,
  exit: () => undefined,
  on() {},
};
`;

interface Stub {
  exposed: [string, ContractClient][];
  invoked: unknown[][];
  quit: number;
  locks: number;
}

async function buildWithStub(): Promise<{ dir: string; stub: () => Stub }> {
  const dir = await tempDir('provisim-build-');
  await buildDesktop({ root: ROOT, outDir: join(dir, 'dist'), sourcemap: false });
  await mkdir(join(dir, 'node_modules', 'electron'), { recursive: true });
  await writeFile(join(dir, 'node_modules', 'electron', 'index.js'), ELECTRON_STUB);
  const stub = () => (globalThis as unknown as { __electronStub: Stub }).__electronStub;
  return { dir, stub };
}

describe('the desktop build', () => {
  it('bundles a sandbox-ready preload that exposes provisim with invoke and subscribe', async () => {
    const { dir, stub } = await buildWithStub();
    const preload = join(dir, 'dist', 'preload', 'preload.cjs');
    // A sandboxed preload can require electron and little else: the bundle must need nothing more.
    const requires = (await readFile(preload, 'utf8')).match(/\brequire\("[^"]+"\)/g);
    expect(new Set(requires)).toEqual(new Set(['require("electron")']));
    createRequire(preload)(preload);
    const [[key, api]] = stub().exposed as [Stub['exposed'][0]];
    expect(key).toBe('provisim');
    expect(api.invoke).toBeTypeOf('function');
    expect(api.subscribe).toBeTypeOf('function');
    await expect(api.invoke('state:get')).resolves.toEqual({ ok: true, value: null });
    expect(stub().invoked).toEqual([['state:get', undefined]]);
    expect(api.subscribe('state:changed', () => undefined)).toBeTypeOf('function');
  });

  it('bundles a main process that loads with no node_modules but electron', async () => {
    const { dir, stub } = await buildWithStub();
    const main = join(dir, DESKTOP_MAIN);
    const code = await readFile(main, 'utf8');
    expect(code).not.toMatch(/\bimport\.meta\b/);
    createRequire(main)(main);
    // The stub refuses the single-instance lock, so the loaded app quits at once.
    await expect.poll(() => stub().quit).toBe(1);
    expect(stub().locks).toBe(1);
  });
});
