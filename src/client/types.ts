/**
 * The wire shapes of doorman's account API, as the client sees them (docs/http-api.md).
 * Written out here rather than imported from the server, so that `@doorman-auth/server/client` carries no
 * server code into a browser bundle; test/client/types.test.ts checks them against the
 * route schemas in src/http/schemas.ts.
 */

/** dj-rest-auth's user: `{pk, email, first_name, last_name, gender, date_of_birth}`. */
export interface User {
  pk: number;
  email: string;
  first_name: string;
  last_name: string;
  gender: 'male' | 'female' | null;
  /** YYYY-MM-DD */
  date_of_birth: string | null;
}

/** POST /account/join/. Field names are the wire names, so `DoormanError.fieldErrors` keys match them. */
export interface JoinInput {
  email: string;
  password1: string;
  password2: string;
  first_name?: string;
  last_name?: string;
  gender?: 'male' | 'female' | '' | null;
  /** YYYY-MM-DD */
  date_of_birth?: string | null;
}

/** PUT/PATCH /account/user/: the profile fields a user may change. */
export interface ProfileInput {
  first_name?: string;
  last_name?: string;
  gender?: 'male' | 'female' | '' | null;
  date_of_birth?: string | null;
}

/** POST /account/password/change/. */
export interface PasswordChangeInput {
  old_password: string;
  new_password1: string;
  new_password2: string;
}

/** POST /account/password/reset/confirm/ (uid and token come from the e-mailed link). */
export interface PasswordResetConfirmInput {
  uid: string;
  token: string;
  new_password1: string;
  new_password2: string;
}

/** One entry of GET /account/sessions/ (newest first). */
export interface Session {
  id: string;
  /** ISO 8601 */
  created: string;
  /** ISO 8601 */
  last_used: string;
  user_agent: string | null;
  ip: string | null;
  /** The session this client is using. */
  current: boolean;
}

/** The login and join answer: `{access, refresh, user}` (+ expirations when the server returns them). */
export interface AuthResponse {
  access: string;
  /** Left out in HttpOnly cookie mode, where the refresh token is set as a cookie only. */
  refresh?: string;
  user: User;
  access_expiration?: string;
  refresh_expiration?: string;
}

/** POST /account/token/refresh/: `refresh` is absent when rotation is off or the token came from the HttpOnly cookie. */
export interface RefreshResponse {
  access: string;
  refresh?: string;
  access_expiration?: string;
  refresh_expiration?: string;
}

/** GET /account/mypage/. */
export interface MypageResponse {
  message: string;
}

/** POST /account/password/change/: `access` and `refresh` when the server moved the caller to a new session. */
export interface PasswordChangeResponse {
  detail: string;
  access?: string;
  refresh?: string;
}

/** `{"detail": "..."}` answers (logout, password change and reset). */
export interface DetailResponse {
  detail: string;
}

/**
 * POST /account/social/{provider}/ and .../connect/ (dj-rest-auth's SocialLoginSerializer): what
 * the app got from the provider, one of `code` (with `code_verifier` and `redirect_uri` when it
 * used them), `id_token` (with its `nonce`), or `access_token` (providers with acceptAccessToken).
 */
export interface SocialCredentials {
  code?: string;
  code_verifier?: string;
  redirect_uri?: string;
  nonce?: string;
  id_token?: string;
  access_token?: string;
}

/** One of the user's provider connections (GET /account/social/connections/). */
export interface SocialConnection {
  id: number;
  provider: string;
  /** The provider's id for the person. */
  uid: string;
  email: string | null;
  /** ISO 8601 */
  created: string;
}
