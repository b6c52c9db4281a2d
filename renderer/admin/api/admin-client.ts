import type { AdminErrorBody, AdminProblem } from '../../../shared/admin-api.ts';
import { ADMIN_PREFIX } from '../../../shared/admin-api.ts';

/** A refusal of the admin or fault API, with the sentence and problems it sent. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  readonly status: number;
  readonly code: string;
  readonly problems: readonly AdminProblem[];

  constructor(status: number, code: string, message: string, problems: readonly AdminProblem[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
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

async function errorOf(response: Response): Promise<AdminApiError> {
  let body: Partial<AdminErrorBody> | undefined;
  try {
    body = (await response.json()) as Partial<AdminErrorBody>;
  } catch {
    // A proxy or a crash may answer with HTML or nothing: fall back to the status below.
  }
  const error = body?.error;
  if (error && typeof error.message === 'string') {
    return new AdminApiError(response.status, error.code, error.message, error.problems ?? []);
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
