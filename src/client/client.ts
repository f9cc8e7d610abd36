import { DoormanError } from './errors.js';
import { createTransport, type ClientOptions, type RequestOptions } from './transport.js';
import type { Tokens } from './token-storage.js';
import type {
  AuthResponse,
  DetailResponse,
  JoinInput,
  MypageResponse,
  PasswordChangeInput,
  PasswordChangeResponse,
  PasswordResetConfirmInput,
  ProfileInput,
  Session,
  SocialConnection,
  SocialCredentials,
  User,
} from './types.js';

/** The client createDoormanClient returns. Every method rejects with a {@link DoormanError} on a non-2xx answer. */
export interface DoormanClient {
  /** `bearer` or `cookie`, as configured. */
  readonly mode: 'bearer' | 'cookie';
  /** The user of the last login, join, getUser or updateUser; null before and after a session. */
  readonly user: User | null;
  /** Bearer mode: the tokens held (null when none). Cookie mode: always null (they are in HttpOnly cookies). */
  tokens(): Promise<Tokens | null>;
  /** POST /account/join/: registers and signs in. Null when the server requires e-mail verification first (no session yet). */
  join(input: JoinInput): Promise<User | null>;
  /** POST /account/login/: signs in. A wrong password is a 400 with `fieldErrors.non_field_errors`. */
  login(email: string, password: string): Promise<User>;
  /**
   * POST /account/logout/: ends this session on the server (refresh and access tokens refused)
   * and forgets it here. The local state is cleared whatever the server answers; a 401 (the
   * session was already over) resolves, any other failure rejects after clearing.
   */
  logout(): Promise<void>;
  /** POST /account/logout/all/: ends every session of the user, this one included. */
  logoutAll(): Promise<void>;
  /** POST /account/token/refresh/ now (normally not needed: a 401 triggers it). Shares a refresh in flight. */
  refresh(): Promise<void>;
  /** GET /account/user/. */
  getUser(): Promise<User>;
  /** PATCH /account/user/: changes only the fields given. */
  updateUser(changes: ProfileInput): Promise<User>;
  /**
   * POST /account/password/change/: every other session ends. When the server moves the caller
   * to a new session (its answer then carries `access` and `refresh`), the client keeps those.
   */
  changePassword(input: PasswordChangeInput): Promise<void>;
  /** POST /account/password/reset/: the same answer whether or not the address has an account. */
  requestPasswordReset(email: string): Promise<void>;
  /** POST /account/password/reset/confirm/ with the uid and token of the e-mailed link. */
  confirmPasswordReset(input: PasswordResetConfirmInput): Promise<void>;
  /** The user's live sessions (devices). */
  readonly sessions: {
    /** GET /account/sessions/, newest first; `current` marks this client's. */
    list(): Promise<Session[]>;
    /** DELETE /account/sessions/{id}/: that session's tokens die on every instance. */
    end(id: string): Promise<void>;
  };
  /** Social login (the server's DOORMAN_SOCIAL_PROVIDERS; `provider` is a name there). */
  readonly social: {
    /**
     * The redirect flow's start, GET /account/social/{provider}/: send the browser there
     * (`location.assign(...)`); it comes back to the server's DOORMAN_SOCIAL_REDIRECT_URL signed
     * in (cookie mode), or with `?error=<code>`. Then call getUser().
     */
    redirectUrl(provider: string): string;
    /** POST /account/social/{provider}/: signs in with what the app got from the provider (SPA/mobile flow). */
    login(provider: string, credentials: SocialCredentials): Promise<User>;
    /** GET /account/social/connections/: the signed-in user's connections, oldest first. */
    connections(): Promise<SocialConnection[]>;
    /** POST /account/social/{provider}/connect/: connects a provider account to the signed-in user. */
    connect(provider: string, credentials: SocialCredentials): Promise<SocialConnection>;
    /** DELETE /account/social/connections/{id}/: never the last way to sign in (400 `social_last_login`). */
    disconnect(id: number): Promise<void>;
  };
  /** POST /account/token/verify/: true for a good token, false for an invalid, expired or blacklisted one. */
  verify(token: string): Promise<boolean>;
  /** GET /account/mypage/: the seed's greeting. */
  mypage(): Promise<MypageResponse>;
  /**
   * Any other route of the host app, with the same credentials, CSRF and refresh-and-retry;
   * `path` is relative to baseUrl. Resolves with the parsed JSON (undefined for 204).
   */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

/**
 * A typed client for doorman's account API, for browsers and Node 20+ (global fetch), with no
 * dependencies. It keeps the access token in memory (bearer mode) or leaves the tokens to
 * HttpOnly cookies (cookie mode); on a 401 `token_not_valid` it refreshes once and retries the
 * call once, and concurrent calls share one refresh. A refused refresh clears the state,
 * calls `onSessionEnd`, and rejects the call with the refresh's DoormanError.
 *
 * @example
 * // A SPA on the API's own site, in cookie mode (DOORMAN_AUTH_COOKIE set on the server):
 * import { createDoormanClient, DoormanError } from '@doorman-auth/server/client';
 * const client = createDoormanClient({ mode: 'cookie', onSessionEnd: () => showLogin() });
 * await client.login('kim@example.com', 'correct horse 9');
 * const { message } = await client.mypage();   // "반갑습니다, kim@example.com님!"
 *
 * @example
 * // A Node script or a native app, in bearer mode:
 * const client = createDoormanClient({ baseUrl: 'https://auth.example.com' });
 * await client.login(email, password);
 * const posts = await client.request<Post[]>('GET', '/posts/');
 */
export function createDoormanClient(options: ClientOptions = {}): DoormanClient {
  let user: User | null = null;
  /** The session id that GET /account/sessions/ last marked as this client's (until the session changes). */
  let currentSession: string | null = null;
  const transport = createTransport(options, () => {
    user = null;
    currentSession = null;
  });
  const { request, accountPath: account } = transport;

  async function signIn(answer: AuthResponse): Promise<User> {
    // Cookie mode: the body's tokens are for native clients; this client leaves them to the cookies.
    await transport.signedIn(answer.access, answer.refresh);
    user = answer.user;
    currentSession = null;
    return user;
  }

  /** Logout and logout-all: the local state goes whatever the server answers; a 401 means the session was over already. */
  async function endOnServer(path: string, options: RequestOptions): Promise<void> {
    try {
      await request('POST', path, options);
    } catch (error) {
      if (!(error instanceof DoormanError && error.status === 401)) throw error;
    } finally {
      await transport.clear();
    }
  }

  return {
    mode: transport.mode,
    get user() {
      return user;
    },
    tokens: transport.tokens,
    async join(input) {
      const answer = await request<AuthResponse | DetailResponse>('POST', `${account}/join/`, {
        body: input,
        auth: false,
      });
      // With mandatory e-mail verification the answer is `{"detail": "Verification e-mail sent."}`: no session yet.
      return 'access' in answer ? signIn(answer) : null;
    },
    login: async (email, password) =>
      signIn(await request<AuthResponse>('POST', `${account}/login/`, { body: { email, password }, auth: false })),
    async logout() {
      const refresh = (await transport.tokens())?.refresh;
      // The access token goes along, so the server ends its session too; no refresh for a logout.
      await endOnServer(`${account}/logout/`, { body: refresh ? { refresh } : {}, retry: false });
    },
    logoutAll: () => endOnServer(`${account}/logout/all/`, {}),
    refresh: transport.refresh,
    async getUser() {
      user = await request<User>('GET', `${account}/user/`);
      return user;
    },
    async updateUser(changes) {
      user = await request<User>('PATCH', `${account}/user/`, { body: changes });
      return user;
    },
    async changePassword(input) {
      const answer = await request<PasswordChangeResponse>('POST', `${account}/password/change/`, { body: input });
      if (answer.access) {
        await transport.signedIn(answer.access, answer.refresh);
        currentSession = null;
      }
    },
    requestPasswordReset: async (email) =>
      void (await request('POST', `${account}/password/reset/`, { body: { email }, auth: false })),
    confirmPasswordReset: async (input) =>
      void (await request('POST', `${account}/password/reset/confirm/`, { body: input, auth: false })),
    sessions: {
      async list() {
        const list = await request<Session[]>('GET', `${account}/sessions/`);
        currentSession = list.find((s) => s.current)?.id ?? null;
        return list;
      },
      async end(id) {
        await request('DELETE', `${account}/sessions/${encodeURIComponent(id)}/`);
        // Ending this client's own session is a logout.
        if (id === currentSession) await transport.clear();
      },
    },
    social: {
      redirectUrl: (provider) => `${transport.baseUrl}${account}/social/${encodeURIComponent(provider)}/`,
      login: async (provider, credentials) =>
        signIn(
          await request<AuthResponse>('POST', `${account}/social/${encodeURIComponent(provider)}/`, {
            body: credentials,
            auth: false,
          }),
        ),
      connections: () => request<SocialConnection[]>('GET', `${account}/social/connections/`),
      connect: (provider, credentials) =>
        request<SocialConnection>('POST', `${account}/social/${encodeURIComponent(provider)}/connect/`, {
          body: credentials,
        }),
      disconnect: async (id) => void (await request('DELETE', `${account}/social/connections/${id}/`)),
    },
    async verify(token) {
      try {
        await request('POST', `${account}/token/verify/`, { body: { token }, auth: false });
        return true;
      } catch (error) {
        // 401 token_not_valid, or simplejwt's 400 "Token is blacklisted".
        if (error instanceof DoormanError && (error.status === 401 || error.status === 400)) return false;
        throw error;
      }
    },
    mypage: () => request<MypageResponse>('GET', `${account}/mypage/`),
    request: (method, path, requestOptions) => request(method.toUpperCase(), path, requestOptions),
  };
}
