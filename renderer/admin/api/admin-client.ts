import { ADMIN_PREFIX } from '../../../shared/admin-api.ts';

/**
 * One thing wrong with a request, as the admin and fault APIs list it: a field path (`''` for the
 * whole request), a code, a short reason, and the values allowed when there are few. (The portal
 * states the same shape in electron/portal/field-problems.ts.)
 */
export interface ApiProblem {
  readonly code: string;
  readonly path: string;
  readonly reason: string;
  readonly options?: readonly string[];
}

/** Lists a refusal adds for the page, like the groups deleting a golden image would strand. */
export type ApiFacts = Readonly<Record<string, readonly string[]>>;

/** A refusal of the admin or fault API (or of the page's own checks), with its problems. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  readonly status: number;
  readonly code: string;
  readonly problems: readonly ApiProblem[];
  readonly facts: ApiFacts;

  constructor(
    status: number,
    code: string,
    message: string,
    problems: readonly ApiProblem[],
    facts: ApiFacts = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = problems;
    this.facts = facts;
  }
}

/** A refusal the page found itself, before sending anything (status 0). */
export function pageRefusal(problems: readonly ApiProblem[]): AdminApiError {
  return new AdminApiError(0, problems[0]?.code ?? 'BAD_REQUEST', '', problems);
}

/** The fetch function the client uses (the page's own, or a test's). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Calls the portal's admin API with the bearer token. */
export interface AdminClient {
  /** Sends a request to a path below `/api/v1/admin` and returns the JSON answer. */
  admin<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Sends a request to any portal path (the fault API lives at `/api/v1/faults`). */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Opens a streaming GET below `/api/v1/admin` (the server-sent admin stream). */
  stream(path: string, signal: AbortSignal): Promise<Response>;
}

/** What the client needs: where the portal is, the token, and what to do when it is refused. */
export interface AdminClientOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly fetch: FetchLike;
  /** Called with the portal's sentence when it answers 401: the token is wrong or replaced. */
  readonly onUnauthorized: (message: string) => void;
}

/** Makes a client for one token; every answer that is not 2xx throws an `AdminApiError`. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const { baseUrl, token, fetch, onUnauthorized } = options;
  const send = async (method: string, path: string, body: unknown, signal?: AbortSignal) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method, headers, signal: signal ?? null };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${baseUrl}${path}`, init);
    if (response.ok) return response;
    const error = await errorOf(response);
    if (response.status === 401) onUnauthorized(error.message);
    throw error;
  };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await send(method, path, body);
    // 204 (a removed fault) has no body.
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  return {
    call,
    admin: (method, path, body) => call(method, `${ADMIN_PREFIX}${path}`, body),
    stream: (path, signal) => send('GET', `${ADMIN_PREFIX}${path}`, undefined, signal),
  };
}

interface ErrorBody {
  readonly error?: {
    readonly code: string;
    readonly message: string;
    readonly problems?: readonly ApiProblem[];
    readonly [fact: string]: unknown;
  };
}

async function errorOf(response: Response): Promise<AdminApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // A proxy or a crash may answer with HTML or nothing: fall back to the status below.
  }
  const error = body?.error;
  if (error && typeof error.message === 'string') {
    const { code, message, problems, ...rest } = error;
    const facts = Object.fromEntries(
      Object.entries(rest).filter((entry): entry is [string, string[]] => Array.isArray(entry[1])),
    );
    return new AdminApiError(response.status, code, message, problems ?? [], facts);
  }
  const message = `The portal answered ${response.status} ${response.statusText} without an explanation. Check that it is running and try again.`;
  return new AdminApiError(response.status, 'HTTP_ERROR', message, []);
}

const TOKEN_KEY = 'provisim.adminToken';

/** Where the token is kept: the tab's sessionStorage, or a test's stand-in. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The admin token kept for this browser tab, if the admin signed in. */
export function readStoredToken(storage: TokenStorage | undefined): string | null {
  try {
    return storage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    // Storage can be unavailable (privacy settings): the admin signs in again.
    return null;
  }
}

/** Keeps the token for this tab (sessionStorage ends with it), or forgets it with `null`. */
export function storeToken(storage: TokenStorage | undefined, token: string | null): void {
  try {
    if (token === null) storage?.removeItem(TOKEN_KEY);
    else storage?.setItem(TOKEN_KEY, token);
  } catch {
    // Not remembering the token only means signing in again after a reload.
  }
}
