import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { agentVersion } from '../../electron/agent/identity.ts';
import type { Arch } from '../../shared/protocol.ts';
import { toolVersion } from './bench-config.ts';

/** Check-in throughput under load, or why it was not measured. */
export type LoadReport =
  | {
      readonly tool: string;
      readonly requestsPerSec: number;
      readonly p99Ms: number;
      /** Answers other than 2xx/3xx, and socket errors. */
      readonly failures: number;
    }
  | { readonly skipped: string };

const CONNECTIONS = 16;
const SECONDS = 8;

/** Loads `POST /api/v1/checkin` for 8 s at 16 connections with wrk, else autocannon. */
export async function checkInLoad(
  portalUrl: string,
  licenseKey: string,
  arch: Arch,
  dir: string,
): Promise<LoadReport> {
  const url = `${portalUrl}/api/v1/checkin`;
  const body = JSON.stringify({
    licenseKey,
    deviceId: randomUUID(),
    hostname: 'bench-load.test',
    arch,
    agentVersion: agentVersion(),
  });
  if (toolVersion('wrk', ['--version']) !== undefined) return wrk(url, body, dir);
  return autocannon(url, body);
}

async function wrk(url: string, body: string, dir: string): Promise<LoadReport> {
  const script = join(dir, 'post.lua');
  await writeFile(
    script,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [==[${body}]==]\n`,
  );
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-s', script, url];
  const { stdout } = await promisify(execFile)('wrk', args);
  const number = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1] ?? NaN);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(stdout);
  const scale = { us: 0.001, ms: 1, s: 1000 }[(p99?.[2] ?? 'ms') as 'us' | 'ms' | 's'];
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  return {
    tool: `wrk -t1 -c${CONNECTIONS} -d${SECONDS}s`,
    requestsPerSec: number(/^Requests\/sec:\s+([\d.]+)/m),
    p99Ms: Number(p99?.[1] ?? NaN) * scale,
    failures:
      (number(/Non-2xx or 3xx responses:\s+(\d+)/) || 0) +
      (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

interface AutocannonResult {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p99: number };
  readonly non2xx: number;
  readonly errors: number;
}

async function autocannon(url: string, body: string): Promise<LoadReport> {
  // A variable specifier: autocannon is an optional devDependency, absent on some machines.
  const specifier = 'autocannon';
  const loaded = (await import(specifier).catch(() => undefined)) as
    { default: (options: Record<string, unknown>) => Promise<AutocannonResult> } | undefined;
  if (!loaded) return { skipped: 'skipped (neither wrk nor autocannon is installed)' };
  const result = await loaded.default({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return {
    tool: `autocannon -c${CONNECTIONS} -d${SECONDS}, in the bench process`,
    requestsPerSec: result.requests.average,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors,
  };
}
