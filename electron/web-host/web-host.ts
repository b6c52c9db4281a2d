import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError } from 'fastify';
import type { Result } from '../../shared/ipc-contract.ts';
import type { AppService } from '../app/app-service.ts';
import { createAccessToken } from './access-token.ts';
import { registerEventStream } from './event-stream.ts';
import { createRequestGuard, refusal } from './request-guard.ts';
import { registerStaticFiles } from './static-files.ts';

/** Path prefix of the invoke channels: `POST /api/invoke/<channel>` with the payload as JSON. */
export const INVOKE_PATH = '/api/invoke';

/** How to start the web host. */
export interface WebHostOptions {
  readonly service: AppService;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Folder of the built renderer; without it only the API is served. */
  readonly staticDir?: string;
}

/** A web host that is listening. */
export interface RunningWebHost {
  /** Like `http://127.0.0.1:5173`, without a trailing slash. */
  readonly url: string;
  /** This start's access token; every API call and the event stream must carry it. */
  readonly token: string;
  /** The address to open: `url` with the token, like `http://127.0.0.1:5173/?token=…`. */
  readonly pageUrl: string;
  /** Stops listening and ends open event streams; the service keeps running. */
  close(): Promise<void>;
}

/** Serves the IPC contract over HTTP and server-sent events on 127.0.0.1, plus the renderer. */
export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const { service } = options;
  // Event streams stay open for as long as a window is: close() must not wait for them.
  const app = Fastify({ forceCloseConnections: true, bodyLimit: 1024 * 1024 });
  let port = 0;
  // A new secret at every start: an address printed by an earlier run opens nothing.
  const token = createAccessToken();
  app.addHook(
    'onRequest',
    createRequestGuard(() => port, token),
  );
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    // Bodies that are not JSON, too large, or malformed: a Result like every other answer.
    const status =
      error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    const body: Result<never> =
      status < 500 ? refusal(`The request was refused: ${error.message}.`) : internalError();
    return reply.code(status).send(body);
  });

  app.post<{ Params: { channel: string } }>(`${INVOKE_PATH}/:channel`, async (request, reply) => {
    const result = await service.handle(request.params.channel, request.body);
    const code = result.ok ? 200 : statusFor(result.error.code);
    return reply.code(code).header('cache-control', 'no-store').send(result);
  });
  registerEventStream(app, service);
  if (options.staticDir) registerStaticFiles(app, options.staticDir);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(refusal(`There is nothing at ${request.method} ${request.url.slice(0, 80)}.`)),
  );

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  port = (app.server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    token: token.value,
    pageUrl: `${url}/?token=${token.value}`,
    close: () => app.close(),
  };
}

// The Result in the body says everything; the status only helps logs and browser tools.
function statusFor(code: string): number {
  if (code === 'UNKNOWN_CHANNEL') return 404;
  if (code === 'INVALID_PAYLOAD' || code === 'LICENSE_KEY_FORMAT') return 400;
  if (code === 'INTERNAL_ERROR') return 500;
  return 200;
}

function internalError(): Result<never> {
  return {
    ok: false,
    error: {
      code: 'INTERNAL_ERROR',
      message: 'The web host failed to handle this request. Reload the page and try again.',
      retryable: false,
    },
  };
}
