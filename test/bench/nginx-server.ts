import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { toolVersion } from './bench-config.ts';

/** An nginx started by the bench, serving one folder on loopback. */
export interface BenchNginx {
  /** `http://127.0.0.1:<port>`; a file is at `${url}/<name>`. */
  readonly url: string;
  /** Stops it with SIGTERM (SIGKILL would leave a worker holding our stdout). */
  readonly stop: () => Promise<void>;
}

/** Starts nginx with its own config, pid file and port; undefined when it is not installed. */
export async function startNginx(
  rootDir: string,
  workDir: string,
): Promise<BenchNginx | undefined> {
  if (toolVersion('nginx', ['-v']) === undefined) return undefined;
  const port = await freePort();
  const prefix = join(workDir, 'nginx');
  await mkdir(join(prefix, 'temp'), { recursive: true });
  const config = join(prefix, 'nginx.conf');
  await writeFile(config, nginxConfig(rootDir, prefix, port));
  const errorLog = join(prefix, 'error.log');
  // -e: the error log of the start itself, before the config is read, is ours too.
  const child = spawn('nginx', ['-p', prefix, '-c', config, '-e', errorLog], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) {
      throw new Error(`nginx did not start:\n${await readFile(errorLog, 'utf8').catch(() => '')}`);
    }
    if (await answers(url)) return { url, stop };
    if (tries > 100) {
      await stop();
      throw new Error(`nginx did not answer on ${url} within 5 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function nginxConfig(rootDir: string, prefix: string, port: number): string {
  const temp = (name: string) => `${name}_temp_path ${join(prefix, 'temp', name)};`;
  return `daemon off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')};
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  server {
    listen 127.0.0.1:${port};
    root ${rootDir};
  }
}
`;
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD' });
    return true;
  } catch {
    return false;
  }
}

/** A port nothing listens on right now (nginx binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
