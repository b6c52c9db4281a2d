import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** A request the report server received, body whole. */
export interface ReceivedUpload {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** How the server answers an upload: status and JSON body. */
export type Answer = (upload: ReceivedUpload) => { status: number; body: unknown };

/** A real HTTP server on 127.0.0.1:0 standing in for the portal's report route. */
export interface ReportServer {
  readonly url: string;
  readonly received: ReceivedUpload[];
}

/** Starts report servers for a test file and closes them after each test. */
export function useReportServers(): (answer: Answer) => Promise<ReportServer> {
  const running: Server[] = [];
  afterEach(async () => {
    for (const server of running.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  return async (answer) => {
    const received: ReceivedUpload[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const upload = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks),
        };
        received.push(upload);
        const { status, body } = answer(upload);
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    running.push(server);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
  };
}

/** A 201 receipt for an upload, as the portal answers it. */
export function receiptFor(upload: ReceivedUpload): { status: number; body: unknown } {
  const id = String(upload.headers['x-provisim-report-id']);
  return {
    status: 201,
    body: { id, receivedAt: new Date().toISOString(), sizeBytes: upload.body.length },
  };
}

/** A port on 127.0.0.1 nothing listens on (a server was there a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
