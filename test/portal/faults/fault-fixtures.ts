import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FaultSpecInput } from '../../../shared/faults.ts';
import type { PortalOptions, RunningPortal } from '../../../electron/portal/server.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { sampleOrg, usePortals } from '../portal-fixtures.ts';

/** The image every fault test serves, at IMAGE. */
export const content = randomBytes(200_000);
/** Path of the test image (the sample org's arm64 image of win11-dev). */
export const IMAGE = '/images/win11-arm64.pvmp';
/** Content of the x86_64 image the other_arch_image tests serve. */
export const otherContent = randomBytes(1_000);

/** Starts a portal with the test image for each call; closed after the test. */
export function useFaultPortal(): (
  faults?: FaultSpecInput[],
  options?: Partial<PortalOptions>,
) => Promise<RunningPortal> {
  const tempDir = useTempDirs();
  const start = usePortals();
  return async (faults = [], options = {}) => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'images'), { recursive: true });
    await writeFile(join(dataDir, 'images', 'win11-arm64.pvmp'), content);
    await writeFile(join(dataDir, 'images', 'win11-x86.pvmp'), otherContent);
    return start({ dataDir, org: sampleOrg(), faults, ...options });
  };
}

/** What a client saw of one exchange, with times in ms from the request's start. */
export interface Observed {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  /** Whether the body arrived in full as the framing announced it. */
  readonly complete: boolean;
  /** The error code when the exchange failed (ECONNRESET, ECONNREFUSED, …). */
  readonly error?: string;
  readonly headersAt: number;
  readonly chunkAt: readonly number[];
  readonly endedAt: number;
}

/** Sends one request (never reusing a connection) and records what arrived and when. */
export function observe(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Observed> {
  const started = performance.now();
  const since = (): number => performance.now() - started;
  return new Promise((resolve) => {
    let status = 0;
    let headers: Observed['headers'] = {};
    let headersAt = -1;
    let complete = false;
    const chunks: Buffer[] = [];
    const chunkAt: number[] = [];
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      const body = Buffer.concat(chunks);
      const base = { status, headers, body, complete, headersAt, chunkAt, endedAt: since() };
      resolve(error === undefined ? base : { ...base, error });
    };
    const req = request(`${baseUrl}${path}`, { ...options, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      headers = res.headers;
      headersAt = since();
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        chunkAt.push(since());
      });
      res.on('end', () => {
        complete = res.complete;
        finish();
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
      res.on('close', () => finish(res.complete ? undefined : 'ABORTED'));
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
    req.end(options.body);
  });
}

/** Bytes a raw TCP exchange received, and how and when the connection ended. */
export interface RawExchange {
  readonly data: Buffer;
  /** 'end' for a clean close (FIN), else the error code. */
  readonly ending: string;
  readonly lastDataAt: number;
  readonly endedAt: number;
}

/** Writes a request on a plain TCP connection and reads until the server ends it. */
export function rawExchange(baseUrl: string, text: string): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let lastDataAt = -1;
    let done = false;
    const socket = connect(Number(port), hostname, () => socket.write(text));
    const finish = (ending: string): void => {
      if (done) return;
      done = true;
      socket.destroy();
      const data = Buffer.concat(chunks);
      resolve({ data, ending, lastDataAt, endedAt: performance.now() - started });
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      lastDataAt = performance.now() - started;
    });
    socket.on('end', () => finish('end'));
    socket.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
  });
}

/** A GET for path as raw HTTP/1.1 text, keeping the connection open. */
export function getText(path: string, headers: Record<string, string> = {}): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.join('')}\r\n`;
}

/** The body part of a raw HTTP answer. */
export function rawBody(data: Buffer): Buffer {
  return data.subarray(data.indexOf('\r\n\r\n') + 4);
}
