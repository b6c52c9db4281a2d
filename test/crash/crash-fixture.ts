import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { heldDownloadBytes } from '../../electron/agent/held-download.ts';
import { pendingRegistrationPath } from '../../electron/agent/pending-registration.ts';
import { readVmConfig } from '../../electron/archive/vm-config.ts';
import { extractBytes } from '../archive/helpers/extract-helpers.ts';
import { treeContents } from '../archive/helpers/sample-vm.ts';
import { ndjson, runCliProcess, runArgs } from '../helpers/cli-process.ts';
import type { ImageServer } from '../helpers/image-server.ts';
import { KEYS, type FixtureImage } from '../helpers/portal-fixture.ts';

/** One agent home under test, against a portal and an image server that count bytes. */
export interface CrashHome {
  readonly home: string;
  readonly portalUrl: string;
  readonly image: FixtureImage;
  readonly server: ImageServer;
}

/** Runs `provisim run` in the home, optionally asked to kill itself at a crash point. */
export async function runAgent(target: CrashHome, crashAt?: string) {
  const args = runArgs(
    { portal: target.portalUrl, license: KEYS.eng, home: target.home },
    '--accept',
    '--json',
    // A checkpoint every MiB, so the points around checkpoints land within a small image.
    '--checkpoint-bytes',
    String(1024 * 1024),
  );
  return runCliProcess(args, crashAt === undefined ? {} : { PROVISIM_CRASH_AT: crashAt });
}

/** Image bytes the server has sent so far. */
export function bytesSent(server: ImageServer): number {
  return server.requests.reduce((sum, request) => sum + request.bytesSent, 0);
}

/** Bytes of the image the home holds for a resume. */
export function heldBytes(target: CrashHome): Promise<number> {
  return heldDownloadBytes(join(target.home, 'downloads'), target.image.sha256);
}

/**
 * What every crash point must end in after the rerun: one registered VM equal to the image, a
 * valid registry, no other folder beside it, nothing left in downloads, no pending note.
 */
export async function expectCleanlyRegistered(target: CrashHome, reference: string): Promise<void> {
  const vms = openAgentStore(target.home).get('vms') ?? [];
  expect(vms).toHaveLength(1);
  const vm = vms[0]!;
  const vmDir = join(target.home, 'Parallels');
  expect(await readdir(vmDir)).toEqual([`${vm.name}.pvm`]);
  expect(vm.name).not.toMatch(/\(\d+\)$/);
  expect((await readVmConfig(vm.path)).uuid).toBe(vm.uuid);
  expect(await treeContents(vm.path)).toEqual(await treeContents(reference));
  expect(await readdir(join(target.home, 'downloads')).catch(() => [])).toEqual([]);
  expect(existsSync(pendingRegistrationPath(target.home))).toBe(false);
}

/** The VM bundle the image unpacks to, extracted once as the reference. */
export async function referenceBundle(image: FixtureImage, dir: string): Promise<string> {
  const staging = join(dir, 'reference');
  await extractBytes(await readFile(image.archivePath), staging);
  const [bundle] = await readdir(staging);
  return join(staging, bundle!);
}

/** The result line of a finished run. */
export function resultOf(stdout: string): Record<string, unknown> | undefined {
  return ndjson(stdout).find((line) => line.type === 'result');
}
