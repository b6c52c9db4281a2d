import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { ZodError } from 'zod';
import { zodProblems, type FieldProblem } from './field-problems.ts';

export { zodProblems, type FieldProblem } from './field-problems.ts';

/** Error codes of the client API beyond the shared ones. */
export type HttpErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_ERROR';

/**
 * Sends the API's error body `{error: {code, message}}` with a status; the admin and fault APIs
 * add `problems`, each a field path and a code, so that their pages can word each one.
 */
export function sendApiError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  problems?: readonly FieldProblem[],
): FastifyReply {
  const error = { code, message, ...(problems && { problems }) };
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify({ error }));
}

/** The admin or fault API's 400 for a body zod refused: its sentence and a problem per field. */
export function sendInvalid(reply: FastifyReply, what: string, error: ZodError): FastifyReply {
  return sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid(what, error), zodProblems(error));
}

/** The error code that goes with an HTTP status the framework chose. */
export function codeForStatus(status: number): HttpErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'TOO_MANY_REQUESTS';
  return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
}

/** One sentence naming every field a request body got wrong. */
export function describeInvalid(what: string, error: ZodError): string {
  const parts = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  return `The ${what} is not valid (${parts.join('; ')}).`;
}

/** Answers errors and unknown routes with the API's error body; 5xx details go to the log only. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const message = status >= 500 ? 'The portal failed to handle this request.' : error.message;
    return sendApiError(reply, status, codeForStatus(status), message);
  });
  app.setNotFoundHandler((request, reply) =>
    sendApiError(reply, 404, 'NOT_FOUND', `There is nothing at ${request.method} ${request.url}.`),
  );
}
