import { AuthError } from '../errors/auth-error.js';
import { userForClaim } from '../users/find-by-claim.js';
import type { User } from '../users/types.js';
import type { TokenContext } from './context.js';
import { issueAccess, issueRefresh, signRefresh, type IssuedToken } from './issue.js';
import { liveRecord } from './stored.js';
import { blacklistSimplejwt, refreshFromSimplejwt } from './transition.js';
import { tokenError, verifyToken } from './verify.js';

export interface RefreshResult {
  access: IssuedToken;
  /** Present when ROTATE_REFRESH_TOKENS is on. */
  refresh?: IssuedToken;
  /** The session the tokens belong to (the CSRF cookie in cookie mode is bound to it). */
  sessionId: string;
}

/** simplejwt's TokenRefreshSerializer check: the user must still exist and be active. */
async function activeUser(ctx: TokenContext, userId: number | string | null): Promise<User> {
  const user = userId === null ? null : await userForClaim(ctx.storage.users, ctx.config.userIdField, userId);
  if (!user || !user.isActive) throw new AuthError('no_active_account', { detail: 'No active account found for the given token.' });
  return user;
}

/**
 * Refresh (simplejwt TokenRefreshView). With rotation and blacklist-after-rotation (the
 * default) the old refresh token is consumed exactly once: of N parallel refreshes with one
 * token, one gets a new pair and the others get "Token is blacklisted". Custom claims come
 * from the current user, never from the old token.
 */
export async function refreshTokens(ctx: TokenContext, raw: string): Promise<RefreshResult> {
  const verified = await verifyToken(ctx, raw, ['refresh']);
  if (verified.simplejwt) return refreshFromSimplejwt(ctx, verified);
  const stored = await liveRecord(ctx, verified.jti);
  const user = await activeUser(ctx, verified.userId);
  const sessionId = verified.sessionId ?? stored.sessionId;
  if (!ctx.config.rotateRefreshTokens) return { access: issueAccess(ctx, user, sessionId), sessionId };
  if (!ctx.config.blacklistAfterRotation) return { access: issueAccess(ctx, user, sessionId), refresh: await issueRefresh(ctx, user, sessionId), sessionId };
  const refresh = signRefresh(ctx, user, sessionId);
  // Spend the old token and record its successor in one atomic step: exactly one winner.
  if (!(await ctx.storage.tokens.rotate(verified.jti, refresh.record, new Date(ctx.now())))) throw tokenError('Token is blacklisted');
  return { access: issueAccess(ctx, user, sessionId), refresh: refresh.issued, sessionId };
}

/** simplejwt TokenRefreshSlidingView: same jti, new exp/iat, until refresh_exp has passed. */
export async function refreshSliding(ctx: TokenContext, raw: string): Promise<string> {
  const verified = await verifyToken(ctx, raw, ['sliding'], { ignoreExpiry: true });
  const refreshExp = verified.claims[ctx.names.refreshExp];
  const nowSeconds = Math.floor(ctx.now() / 1000);
  if (typeof refreshExp !== 'number' || refreshExp + ctx.config.leeway <= nowSeconds) {
    throw tokenError(`Token '${ctx.names.refreshExp}' claim has expired`);
  }
  await liveRecord(ctx, verified.jti);
  const user = await activeUser(ctx, verified.userId);
  const claims: Record<string, unknown> = { ...verified.claims, ...ctx.customClaims(user), iat: nowSeconds, exp: nowSeconds + ctx.config.slidingTokenLifetime };
  // The fixed claims win over the hook, as at issue time.
  for (const name of [ctx.names.tokenType, ctx.names.jti, ctx.names.userId, ctx.names.session, ctx.names.refreshExp]) {
    claims[name] = verified.claims[name];
  }
  return ctx.codec.sign(claims);
}

/**
 * Blacklists a refresh (or sliding) token and ends its session, so the access tokens issued
 * with it stop too. Returns the session id.
 */
export async function blacklistToken(ctx: TokenContext, raw: string, revokeSession: (sessionId: string) => Promise<void>): Promise<string> {
  const verified = await verifyToken(ctx, raw, ['refresh', 'sliding']);
  if (verified.simplejwt) return blacklistSimplejwt(ctx, verified);
  const stored = await liveRecord(ctx, verified.jti);
  await ctx.storage.tokens.revoke(verified.jti, new Date(ctx.now()));
  await revokeSession(stored.sessionId);
  return stored.sessionId;
}

/**
 * dj-rest-auth's logout: blacklists the refresh token and ends its session, and also ends the
 * session of the access token the request came with when that is another one (a client that
 * mixed tokens of two logins must not keep either).
 */
export async function logout(ctx: TokenContext, raw: string, accessSessionId: string | null, revokeSession: (sessionId: string) => Promise<void>): Promise<void> {
  const sessionId = await blacklistToken(ctx, raw, revokeSession);
  if (accessSessionId && accessSessionId !== sessionId) await revokeSession(accessSessionId);
}
