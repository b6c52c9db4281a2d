import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import type {
  InvokeChannel,
  InvokeResults,
  IpcError,
  PayloadArgs,
  Result,
} from '../../shared/ipc-contract.ts';
import {
  createAppService,
  type AppService,
  type AppServiceOptions,
} from '../../electron/app/app-service.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { recordPushes, type PushRecorder } from './push-recorder.ts';

/** Disk data size of the embedded portal's demo images in tests: small, so jobs take no time. */
export const TEST_IMAGE_BYTES = 1024 * 1024;

/** Download tuning that keeps a failing test short. */
export const FAST_TUNING = { minRetryDelayMs: 10, maxRetryDelayMs: 50, stallTimeoutMs: 10_000 };

/** A started service, its home and a recorder of its pushes. */
export interface StartedApp {
  readonly home: string;
  readonly service: AppService;
  readonly pushes: PushRecorder;
}

/** Per-test app services over fresh homes with the embedded portal; all closed after the test. */
export function useAppFixture() {
  const tempDir = useTempDirs();
  const open: AppService[] = [];
  afterEach(async () => {
    for (const service of open.splice(0).reverse()) await service.close();
  });

  async function start(
    options: Partial<AppServiceOptions> & { home?: string } = {},
  ): Promise<StartedApp> {
    const home = options.home ?? (await tempDir());
    const service = await createAppService({
      detectedArch: 'arm64',
      tuning: FAST_TUNING,
      progressIntervalMs: 20,
      ...options,
      home,
      embeddedPortal: { sizeBytes: TEST_IMAGE_BYTES, ...options.embeddedPortal },
    });
    open.push(service);
    return { home, service, pushes: recordPushes(service) };
  }

  /** Closes a service ahead of the test's end (a restart). */
  async function stop(service: AppService): Promise<void> {
    open.splice(open.indexOf(service), 1);
    await service.close();
  }

  return { tempDir, start, stop };
}

/** Calls a channel on the service with the contract's types. */
export async function invoke<C extends InvokeChannel>(
  service: AppService,
  channel: C,
  ...args: PayloadArgs<C>
): Promise<Result<InvokeResults[C]>> {
  return (await service.handle(channel, args[0])) as Result<InvokeResults[C]>;
}

/** The value of a successful Result; fails the test with the error otherwise. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) expect.fail(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The error of a failed Result; fails the test when it succeeded. */
export function errorOf(result: Result<unknown>): IpcError {
  if (result.ok) expect.fail(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** The SHA-256 the embedded portal's policy names for the image a key gets (from its .sha256.txt). */
export async function demoImageSha256(home: string, archiveName: string): Promise<string> {
  const images = join(home, 'demo-portal', 'images');
  for (const folder of await readdir(images)) {
    const names = await readdir(join(images, folder));
    if (!names.some((n) => n.startsWith(archiveName) && !n.endsWith('.txt'))) continue;
    const sha = names.find((n) => n.endsWith('.sha256.txt'))!;
    return (await readFile(join(images, folder, sha), 'utf8')).split(/\s+/)[0]!;
  }
  throw new Error(`No demo image named ${archiveName} under ${images}`);
}
