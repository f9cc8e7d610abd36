import { AuthError } from '../errors/auth-error.js';
import type { UserState } from '../revocation/view.js';
import { TOKEN_CLASS, type Claims, type TokenType } from '../tokens/claims.js';
import type { TokenContext } from '../tokens/context.js';
import { NO_USER_ID } from '../tokens/rules.js';
import { transitionUserKey } from '../tokens/transition.js';
import { verifyOwnToken, verifyToken, type VerifiedToken } from '../tokens/verify.js';
import { userForClaim } from '../users/find-by-claim.js';

/** Who made a request: the user's state and the claims of the token they presented. */
export interface AuthContext {
  userId: number;
  user: UserState;
  claims: Claims;
  tokenType: TokenType;
  sessionId: string | null;
  /** The raw token, for routes that must end its session (logout). */
  token: string;
}

/**
 * simplejwt's JWTAuthentication steps 3 and 4 (validated token, then user), with no query in
 * the steady state: the user's active/exists state comes from the revocation view's cache,
 * loaded once per user and dropped whenever the user changes in any process.
 */
export function createAuthenticator(ctx: TokenContext) {
  const accepted = ctx.config.authTokenClasses;

  async function userState(key: string): Promise<UserState | null> {
    const cached = ctx.view.user(key, ctx.now());
    if (cached !== undefined) return cached;
    const user = await userForClaim(ctx.storage.users, ctx.config.userIdField, key);
    if (!user) return null;
    const state = {
      id: user.id,
      email: user.email,
      isActive: user.isActive,
      isStaff: user.isStaff,
      isSuperuser: user.isSuperuser,
    };
    // Only users that exist are cached: "no such user" can stop being true without any event
    // (a join reusing a deleted account's e-mail under USER_ID_FIELD=email, in any process).
    ctx.view.cacheUser(key, state, ctx.now());
    return state;
  }

  /** simplejwt's per-class 401 for a token that failed verification. */
  const notValid = (error: unknown): unknown =>
    error instanceof AuthError
      ? new AuthError('token_not_valid', {
          messages: accepted.map((type) => ({
            token_class: TOKEN_CLASS[type],
            token_type: type,
            message: error.message,
          })),
        })
      : error;

  /** Our own token verified (synchronously), or null when only the remote key set can tell. */
  function verifyOwn(token: string): VerifiedToken | null {
    try {
      return verifyOwnToken(ctx, token, accepted);
    } catch (error) {
      throw notValid(error);
    }
  }

  /** The user id claim, which every token that authenticates must carry. */
  function userIdOf(verified: VerifiedToken): number | string {
    if (verified.userId === null) throw new AuthError('token_not_valid', { detail: NO_USER_ID });
    return verified.userId;
  }

  function contextOf(verified: VerifiedToken, user: UserState | null, token: string): AuthContext {
    if (!user) throw new AuthError('user_not_found');
    if (!user.isActive) throw new AuthError('user_inactive');
    return {
      userId: user.id,
      user,
      claims: verified.claims,
      tokenType: verified.type,
      sessionId: verified.sessionId,
      token,
    };
  }

  /** The rest of the path when I/O is needed: the transition-mode user key, a user not cached. */
  async function withUser(verified: VerifiedToken, token: string): Promise<AuthContext> {
    const userId = userIdOf(verified);
    const key = verified.simplejwt ? await transitionUserKey(ctx, userId) : String(userId);
    return contextOf(verified, key === null ? null : await userState(key), token);
  }

  /** A token signed elsewhere, checked with the remote key set (JWK_URL). */
  async function remote(token: string): Promise<AuthContext> {
    let verified;
    try {
      verified = await verifyToken(ctx, token, accepted);
    } catch (error) {
      throw notValid(error);
    }
    return withUser(verified, token);
  }

  /**
   * The answer itself when no I/O is needed (our own token, the user's state cached: the steady
   * state of every authenticated request), a promise of it otherwise, continuing from the token
   * already verified. Throws (or rejects with) simplejwt's AuthErrors.
   */
  function authenticateNow(token: string): AuthContext | Promise<AuthContext> {
    const verified = verifyOwn(token);
    if (verified === null) return remote(token);
    const userId = userIdOf(verified);
    if (!verified.simplejwt) {
      const cached = ctx.view.user(String(userId), ctx.now());
      if (cached !== undefined) return contextOf(verified, cached, token);
    }
    return withUser(verified, token);
  }

  async function authenticate(token: string): Promise<AuthContext> {
    return authenticateNow(token);
  }

  return { authenticate, authenticateNow };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
