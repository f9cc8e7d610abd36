import { SAFE_METHODS, documentCookie } from './csrf.js';
import { DoormanError, errorFromResponse } from './errors.js';
import { memoryTokenStorage, type TokenStorage, type Tokens } from './token-storage.js';
import type { RefreshResponse } from './types.js';

/** How the client authenticates; see {@link ClientOptions.mode}. */
export type ClientMode = 'bearer' | 'cookie';

export interface ClientOptions {
  /**
   * Where doorman is mounted: an origin plus the plugin's prefix, if any
   * (`https://auth.example.com`, `/auth`). Default `''`: the page's own origin (browsers only;
   * Node's fetch needs an absolute URL).
   */
  baseUrl?: string;
  /**
   * `bearer` (default): tokens from the login answer, sent as `Authorization: Bearer`, kept in
   * `storage`. `cookie`: doorman's cookie mode (DOORMAN_AUTH_COOKIE set on the server); the
   * tokens stay in HttpOnly cookies that script never sees, requests go with
   * `credentials: 'include'`, and unsafe ones carry the CSRF cookie in the CSRF header.
   */
  mode?: ClientMode;
  /** Bearer mode: where the tokens live (default: memory only). Ignored in cookie mode. */
  storage?: TokenStorage;
  /** The fetch to use (default: the global one). Tests and SSR inject their own. */
  fetch?: typeof globalThis.fetch;
  /** Where the account routes live under baseUrl (the plugin's accountPrefix; default `/account`). */
  accountPath?: string;
  /** Cookie mode: the CSRF cookie's name (DOORMAN_CSRF_COOKIE_NAME; default `csrftoken`). */
  csrfCookieName?: string;
  /** Cookie mode: the CSRF header's name (DOORMAN_CSRF_HEADER_NAME; default `X-CSRFToken`). */
  csrfHeaderName?: string;
  /** Cookie mode: reads a cookie of the page (default: document.cookie). */
  readCookie?: (name: string) => string | null;
  /**
   * Called once when the session is found to be over: a refresh was refused (expired, logged
   * out elsewhere, password changed, account deactivated). The client has already cleared its
   * state; a page would show its login form here.
   */
  onSessionEnd?: (error: DoormanError) => void;
}

export interface RequestOptions {
  /** A JSON body. */
  body?: unknown;
  /**
   * Send credentials and, on a 401, refresh once and retry once (default true). False for
   * the public endpoints (join, login, verify, password reset).
   */
  auth?: boolean;
  /** With `auth`: refresh and retry on a 401 (default true; logout says false). */
  retry?: boolean;
}

/** 401 codes that a fresh access token may cure: an expired token, or (cookie mode) an expired access cookie. */
const REFRESHABLE = new Set(['token_not_valid', 'not_authenticated']);

/**
 * The HTTP layer shared by the client's methods: credentials, CSRF, the refresh-once-and-retry
 * rule and the single refresh in flight. Internal; the public face is createDoormanClient.
 */
export function createTransport(options: ClientOptions, onEnd: () => void) {
  const mode: ClientMode = options.mode ?? 'bearer';
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const accountPath = options.accountPath ?? '/account';
  const storage: TokenStorage = options.storage ?? memoryTokenStorage();
  // Never call an unbound window.fetch: browsers throw "Illegal invocation".
  const fetcher = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
  const readCookie = options.readCookie ?? documentCookie;
  const csrfCookieName = options.csrfCookieName ?? 'csrftoken';
  const csrfHeaderName = options.csrfHeaderName ?? 'X-CSRFToken';
  /** Bumped by every new set of credentials: a 401 to a request sent before it is retried without another refresh. */
  let generation = 0;
  let refreshing: Promise<void> | null = null;
  /** The last session end, while nothing has happened since. */
  let ended: { generation: number; error: DoormanError } | null = null;

  const tokens = async (): Promise<Tokens | null> => (mode === 'bearer' ? await storage.load() : null);

  async function send(method: string, path: string, body: unknown, auth: boolean) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const access = auth ? (await tokens())?.access : null;
    if (access) headers.Authorization = `Bearer ${access}`;
    if (mode === 'cookie' && !SAFE_METHODS.has(method)) {
      const csrf = readCookie(csrfCookieName);
      if (csrf) headers[csrfHeaderName] = csrf;
    }
    const sent = generation;
    const init: RequestInit = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    if (mode === 'cookie') init.credentials = 'include';
    return { response: await fetcher(baseUrl + path, init), sent };
  }

  async function endSession(error: DoormanError): Promise<DoormanError> {
    if (mode === 'bearer') await storage.clear();
    // Calls sent before this and refused after it get this same error, not a refresh of their own.
    generation += 1;
    ended = { generation, error };
    onEnd();
    options.onSessionEnd?.(error);
    return error;
  }

  async function runRefresh(): Promise<void> {
    let body: { refresh?: string } = {};
    if (mode === 'bearer') {
      const refresh = (await tokens())?.refresh;
      if (!refresh)
        throw await endSession(
          new DoormanError(401, { detail: 'No valid refresh token found.', code: 'token_not_valid' }),
        );
      body = { refresh };
    }
    const { response } = await send('POST', `${accountPath}/token/refresh/`, body, false);
    if (!response.ok) {
      const error = await errorFromResponse(response);
      // A refusal ends the session; a busy or failing server (429, 5xx) does not.
      throw error.status < 500 && error.status !== 429 ? await endSession(error) : error;
    }
    const result = (await response.json()) as RefreshResponse;
    // With rotation the old refresh token is now spent; without it the old one stays good.
    if (mode === 'bearer')
      await storage.save({ access: result.access, refresh: result.refresh ?? (await tokens())?.refresh ?? null });
    generation += 1;
  }

  /** One refresh at a time: concurrent callers share the one in flight. */
  function refresh(): Promise<void> {
    refreshing ??= runRefresh().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /**
   * What to do about a 401 to a call sent at generation `sent`: 'retry' (new credentials came
   * since), 'refresh' (then retry), or an error to throw (the session ended since, or cannot be
   * refreshed).
   */
  async function after401(error: DoormanError, sent: number): Promise<'retry' | 'refresh' | DoormanError> {
    if (!REFRESHABLE.has(error.code ?? '')) return error;
    // The session ended and nothing came since: calls sent before get that end's error, calls
    // sent after get their own (no new refresh per call for a signed-out cookie-mode page).
    if (ended?.generation === generation) return sent === generation ? error : ended.error;
    if (sent !== generation) return 'retry';
    if (mode === 'cookie' || (await tokens())?.refresh) return 'refresh';
    // Bearer mode with nothing to refresh with: a refused token means this session is over.
    return error.code === 'token_not_valid' && (await tokens())?.access ? await endSession(error) : error;
  }

  /**
   * One call: on a 401 that a refresh may cure, refresh once (or join the refresh in flight,
   * or none when one finished since this call was sent) and retry once.
   */
  async function request<T>(
    method: string,
    path: string,
    { body, auth = true, retry = true }: RequestOptions = {},
  ): Promise<T> {
    let { response, sent } = await send(method, path, body, auth);
    if (response.status === 401 && auth && retry) {
      const next = await after401(await errorFromResponse(response), sent);
      if (next instanceof DoormanError) throw next;
      if (next === 'refresh') await refresh();
      ({ response } = await send(method, path, body, auth));
    }
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** New credentials (login, join): store them (bearer mode) and start a new generation. */
  async function signedIn(access: string, refreshToken: string | undefined): Promise<void> {
    if (mode === 'bearer') await storage.save({ access, refresh: refreshToken ?? null });
    generation += 1;
  }

  /** Forget the session locally (logout). */
  async function clear(): Promise<void> {
    if (mode === 'bearer') await storage.clear();
    generation += 1;
    onEnd();
  }

  return { mode, baseUrl, accountPath, request, refresh, signedIn, clear, tokens };
}

export type Transport = ReturnType<typeof createTransport>;
