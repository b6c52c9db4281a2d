import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InvokeChannel, InvokePayload, InvokeResults } from '../../../shared/ipc-contract.ts';

/** The project folder, which the web host runs from. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// What `npm run start:web` runs: the built web host, rebuilt first if a source changed.
const RUN_BUILT = join(PROJECT_ROOT, 'electron', 'launch', 'run-built.js');
const RENDERER = join(PROJECT_ROOT, 'dist', 'renderer');
// The printed address, as a user would copy it: the origin, then the start's access token.
const URL_IN_LINE =
  /^Provisim is running;.* open ((http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+))$/m;
// Graceful shutdown takes well under a second; a host stuck longer is killed so cleanup ends.
const STOP_GRACE_MS = 10_000;

/** How a web host is started; the demo images are small so that every spec stays quick. */
export interface WebHostOptions {
  /** Disk data size of the embedded portal's images (default 4MiB). */
  readonly demoSize?: string;
  /** Caps the image downloads (`--demo-bandwidth`), so that a download lasts long enough to pause. */
  readonly bandwidth?: number;
}

/** A web host child process serving the Control Center. */
export interface RunningWebHost {
  /** The address it printed, with its token: `http://127.0.0.1:43121/?token=…`. */
  readonly url: string;
  /** The address without the token, like `http://127.0.0.1:43121`. */
  readonly origin: string;
  /** The access token of this start. */
  readonly token: string;
  /** Sends one invoke channel over HTTP, as the page does; throws unless the answer is ok. */
  invoke<C extends InvokeChannel>(
    channel: C,
    payload?: InvokePayload<C>,
  ): Promise<InvokeResults[C]>;
  /** Kills the process without warning, as a crash or a power cut would. */
  crash(): Promise<void>;
  /** Stops the process with Ctrl-C, as a user would. */
  stop(): Promise<void>;
}

interface PrintedAddress {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
}

function readUrl(child: ChildProcess): Promise<PrintedAddress> {
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const [, url, origin, token] = URL_IN_LINE.exec(stdout) ?? [];
      if (url && origin && token) resolve({ url, origin, token });
    });
    child.once('exit', (code) =>
      reject(new Error(`The web host ended (${code}) before its URL:\n${stdout}${stderr}`)),
    );
  });
}

async function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = once(child, 'exit');
  child.kill(signal);
  const watchdog = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exit;
  clearTimeout(watchdog);
}

/** Starts web hosts on one home folder (again after a crash) and stops them after the test. */
export class WebHostLauncher {
  readonly home: string;
  readonly #children = new Set<ChildProcess>();

  constructor(home: string) {
    this.home = home;
  }

  /** Starts `start-web` on port 0 and resolves with the address from its first line. */
  async start(options: WebHostOptions = {}): Promise<RunningWebHost> {
    const args = ['--home', this.home, '--port', '0', '--static', RENDERER];
    args.push('--demo-size', options.demoSize ?? '4MiB');
    if (options.bandwidth !== undefined) args.push('--demo-bandwidth', String(options.bandwidth));
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.PROVISIM_HOME;
    const child = spawn(process.execPath, [RUN_BUILT, 'start-web', ...args], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    const printed = await readUrl(child);
    return {
      ...printed,
      invoke: (channel, payload) => invoke(printed, channel, payload),
      crash: () => ended(child, 'SIGKILL'),
      stop: () => ended(child, 'SIGINT'),
    };
  }

  /** Stops every host still running. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#children].map((child) => ended(child, 'SIGINT')));
  }
}

async function invoke<C extends InvokeChannel>(
  { origin, token }: PrintedAddress,
  channel: C,
  payload?: InvokePayload<C>,
): Promise<InvokeResults[C]> {
  const response = await fetch(`${origin}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(payload ?? {}),
  });
  const result = (await response.json()) as
    { ok: true; value: InvokeResults[C] } | { ok: false; error: { code: string; message: string } };
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}
