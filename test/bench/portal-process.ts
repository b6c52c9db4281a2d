import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { copyFile, link, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BenchImage } from './bench-image.ts';
import type { ProvisimCommand } from './provisim-bin.ts';

/** A `provisim portal` process started by the bench. */
export interface PortalProcess {
  readonly url: string;
  /** Adds a fault through the fault API (the admin token is the bench's). */
  readonly addFault: (spec: Record<string, unknown>) => Promise<void>;
  readonly removeFault: (id: string) => Promise<void>;
  /** Stops it with SIGTERM and waits for it to exit. */
  readonly stop: () => Promise<void>;
}

/** Starts `provisim portal` with a fresh data folder holding the images. */
export async function startPortalProcess(
  provisim: ProvisimCommand,
  options: {
    readonly dataDir: string;
    readonly orgFile: string;
    readonly images: readonly BenchImage[];
    /** Where its stderr goes. */
    readonly logFile: string;
  },
): Promise<PortalProcess> {
  const imagesDir = join(options.dataDir, 'images');
  await mkdir(imagesDir, { recursive: true });
  for (const image of options.images) await linkOrCopy(image.path, join(imagesDir, image.file));
  // Its own process: a portal inside the bench would compete with it for the two cores.
  const token = randomBytes(16).toString('hex');
  const [command, ...first] = provisim.argv;
  const args = [...first, 'portal', '--config', options.orgFile, '--data', options.dataDir];
  args.push('--port', '0', '--admin-token', token);
  const log = openSync(options.logFile, 'a');
  const child = spawn(command!, args, {
    stdio: ['ignore', 'pipe', log],
    env: { ...process.env, NO_COLOR: '1' },
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`provisim portal exited with ${code} before it printed its URL`)),
    );
  });
  const api = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${url}/api/v1/faults${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!answer.ok) {
      throw new Error(`fault API ${method} ${path}: ${answer.status} ${await answer.text()}`);
    }
  };
  return {
    url,
    addFault: (spec) => api('POST', '', spec),
    removeFault: (id) => api('DELETE', `/${encodeURIComponent(id)}`),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

// A hard link shares the cached file's page cache; a copy only when the folders are on two disks.
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
  }
}
