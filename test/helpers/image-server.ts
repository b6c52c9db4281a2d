import { createReadStream } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server does for one request instead of (or on top of) serving the image normally. */
export interface ResponseScript {
  /** Answer with this status and a short text body, no image bytes. */
  readonly status?: number;
  readonly retryAfter?: string;
  /** Answer with a redirect to this URL or path (302 unless redirectStatus). */
  readonly redirect?: string;
  readonly redirectStatus?: number;
  /** Answer 200 with this HTML page (text/html). */
  readonly html?: string;
  /** Serve these bytes as the image for this request. */
  readonly body?: Uint8Array;
  readonly contentType?: string;
  /** Answer 200 with the whole body even when a Range is asked. */
  readonly ignoreRange?: boolean;
  /** The image has this ETag for this request (If-Range is judged against it); null: none. */
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  /** Honour Range even when If-Range names another version (a broken server). */
  readonly ignoreIfRange?: boolean;
  /** Claim this start in Content-Range while sending the asked range. */
  readonly contentRangeStart?: number;
  /** In a 206, send the range only up to this byte (exclusive), as Content-Range states. */
  readonly rangeEnd?: number;
  /** Destroy the connection after this many body bytes. */
  readonly dropAfter?: number;
  /** Stop after this many body bytes until release() or the client disconnects. */
  readonly stallAfter?: number;
}

/** One request as the server saw it. */
export interface RecordedRequest {
  readonly index: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly receivedAt: number;
  status?: number;
  bytesSent: number;
}

/** Options of startImageServer. */
export interface ImageServerOptions {
  /** The image: bytes in memory or a file of a known size. */
  readonly body: Uint8Array | { readonly file: string; readonly size: number };
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  readonly contentType?: string;
  /** Per request (by index, redirects included) or a function of the request. */
  readonly script?:
    | ReadonlyArray<ResponseScript | undefined>
    | ((request: RecordedRequest) => ResponseScript | undefined);
  /** whenBlocked() resolves once a reply waited this long for the client to read (default 200 ms). */
  readonly blockedAfterMs?: number;
}

/** A running scriptable image server on 127.0.0.1. */
export interface ImageServer {
  /** The image URL: http://127.0.0.1:<port>/image. */
  readonly url: string;
  readonly port: number;
  readonly requests: readonly RecordedRequest[];
  /** A URL on this server for a path, optionally through another host name (localhost). */
  urlFor(path: string, host?: string): string;
  /** Body bytes sent over all requests. */
  bytesSent(): number;
  /** Lets stalled replies continue. */
  release(): void;
  /** Resolves when a reply has stalled (stallAfter reached). */
  whenStalled(): Promise<void>;
  /** Resolves when a reply has waited blockedAfterMs for the client to read (client backpressure). */
  whenBlocked(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a raw node:http server that serves an image with Range/If-Range/ETag, scripted per request. */
export async function startImageServer(options: ImageServerOptions): Promise<ImageServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const signals = { stalled: deferred(), blocked: deferred(), release: deferred() };
  const server = createServer((req, res) => {
    const request: RecordedRequest = {
      index: requests.length,
      path: new URL(req.url ?? '/', 'http://x').pathname,
      headers: { ...req.headers },
      receivedAt: Date.now(),
      bytesSent: 0,
    };
    requests.push(request);
    const script =
      typeof options.script === 'function'
        ? options.script(request)
        : options.script?.[request.index];
    reply(req, res, request, script ?? {}, options, signals).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const urlFor = (path: string, host = '127.0.0.1') => `http://${host}:${port}${path}`;
  return {
    url: urlFor('/image'),
    port,
    requests,
    urlFor,
    bytesSent: () => requests.reduce((sum, request) => sum + request.bytesSent, 0),
    release: () => {
      signals.release.resolve();
      signals.release = deferred();
    },
    whenStalled: () => signals.stalled.promise,
    whenBlocked: () => signals.blocked.promise,
    close: async () => {
      signals.release.resolve();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const DEFAULT_LAST_MODIFIED = 'Wed, 01 Jan 2025 00:00:00 GMT';

function pick(
  scripted: string | null | undefined,
  configured: string | null | undefined,
  fallback: string,
): string | null {
  if (scripted !== undefined) return scripted;
  return configured === undefined ? fallback : configured;
}

type Signals = Record<'stalled' | 'blocked' | 'release', Deferred>;

async function reply(
  req: IncomingMessage,
  res: ServerResponse,
  request: RecordedRequest,
  script: ResponseScript,
  options: ImageServerOptions,
  signals: Signals,
): Promise<void> {
  if (script.redirect !== undefined) {
    request.status = script.redirectStatus ?? 302;
    res.writeHead(request.status, { location: script.redirect, 'content-length': 0 }).end();
    return;
  }
  if (script.status !== undefined) {
    request.status = script.status;
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (script.retryAfter !== undefined) headers['retry-after'] = script.retryAfter;
    res.writeHead(script.status, headers).end(`status ${script.status}\n`);
    return;
  }
  if (script.html !== undefined) {
    request.status = 200;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(script.html);
    return;
  }
  const body = script.body ?? options.body;
  const size = body instanceof Uint8Array ? body.length : body.size;
  const etag = pick(script.etag, options.etag, '"image-v1"');
  const lastModified = pick(script.lastModified, options.lastModified, DEFAULT_LAST_MODIFIED);
  const headers: Record<string, string | number> = {
    'accept-ranges': 'bytes',
    'content-type': script.contentType ?? options.contentType ?? 'application/octet-stream',
  };
  if (etag !== null) headers.etag = etag;
  if (lastModified !== null) headers['last-modified'] = lastModified;
  let start = 0;
  let end = size;
  const asked = script.ignoreRange ? undefined : /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  const sameFile = ifRange === undefined || ifRange === etag || ifRange === lastModified;
  if (asked && (sameFile || script.ignoreIfRange)) {
    start = Number(asked[1]);
    if (start >= size) {
      request.status = 416;
      res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` }).end();
      return;
    }
    end = Math.min(size, script.rangeEnd ?? size);
    const claimed = script.contentRangeStart ?? start;
    headers['content-range'] = `bytes ${claimed}-${end - 1}/${size}`;
    request.status = 206;
  } else {
    request.status = 200;
  }
  headers['content-length'] = end - start;
  res.writeHead(request.status, headers);
  await pump(res, chunksOf(body, start, end), request, script, options, signals);
}

async function pump(
  res: ServerResponse,
  source: AsyncIterable<Uint8Array>,
  request: RecordedRequest,
  script: ResponseScript,
  options: ImageServerOptions,
  signals: Signals,
): Promise<void> {
  const closed = new Promise<'closed'>((resolve) => res.once('close', () => resolve('closed')));
  let stalled = false;
  for await (let chunk of source) {
    while (chunk.length > 0) {
      if (script.dropAfter !== undefined && request.bytesSent >= script.dropAfter) {
        res.socket?.destroy();
        return;
      }
      let room = chunk.length;
      if (script.stallAfter !== undefined && !stalled) {
        room = Math.min(room, script.stallAfter - request.bytesSent);
      }
      if (script.dropAfter !== undefined)
        room = Math.min(room, script.dropAfter - request.bytesSent);
      if (room > 0) {
        const part = chunk.subarray(0, room);
        chunk = chunk.subarray(room);
        request.bytesSent += part.length;
        if (script.dropAfter !== undefined && request.bytesSent >= script.dropAfter) {
          // Let the last bytes reach the socket before cutting it.
          await Promise.race([new Promise((resolve) => res.write(part, resolve)), closed]);
          res.socket?.destroy();
          return;
        }
        if (!res.write(part) && (await drained(res, closed, options, signals)) === 'closed') return;
      }
      if (script.stallAfter !== undefined && !stalled && request.bytesSent >= script.stallAfter) {
        stalled = true;
        signals.stalled.resolve();
        if ((await Promise.race([signals.release.promise, closed])) === 'closed') return;
      }
    }
  }
  res.end();
}

async function drained(
  res: ServerResponse,
  closed: Promise<'closed'>,
  options: ImageServerOptions,
  signals: Signals,
): Promise<'drained' | 'closed'> {
  const timer = setTimeout(() => signals.blocked.resolve(), options.blockedAfterMs ?? 200);
  try {
    return await Promise.race([
      new Promise<'drained'>((resolve) => res.once('drain', () => resolve('drained'))),
      closed,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function* chunksOf(
  body: ImageServerOptions['body'],
  start: number,
  end: number,
): AsyncIterable<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let at = start; at < end; at += 64 * 1024) {
      yield body.subarray(at, Math.min(end, at + 64 * 1024));
    }
    return;
  }
  if (start >= end) return;
  yield* createReadStream(body.file, { start, end: end - 1, highWaterMark: 256 * 1024 });
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
