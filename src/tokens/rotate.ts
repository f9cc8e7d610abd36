import { AuthError } from '../errors/auth-error.js';
import type { User } from '../users/types.js';
import type { TokenContext } from './context.js';
import { issueAccess, issueRefresh, signRefresh, type IssuedToken } from './issue.js';
import { tokenError, verifyToken } from './verify.js';

export interface RefreshResult {
  access: IssuedToken;
  /** Present when ROTATE_REFRESH_TOKENS is on. */
  refresh?: IssuedToken;
}

/** simplejwt's TokenRefreshSerializer check: the user must still exist and be active. */
async function activeUser(ctx: TokenContext, userId: number | string | null): Promise<User> {
  const user = userId === null ? null
    : ctx.config.userIdField === 'email' ? await ctx.storage.users.findByEmail(String(userId))
    : await ctx.storage.users.findById(Number(userId));
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
  const stored = await ctx.storage.tokens.find(verified.jti);
  if (!stored) throw tokenError('Token is invalid');
  if (stored.revokedAt) throw tokenError('Token is blacklisted');
  const user = await activeUser(ctx, verified.userId);
  const sessionId = verified.sessionId ?? stored.sessionId;
  if (!ctx.config.rotateRefreshTokens) return { access: issueAccess(ctx, user, sessionId) };
  if (!ctx.config.blacklistAfterRotation) return { access: issueAccess(ctx, user, sessionId), refresh: await issueRefresh(ctx, user, sessionId) };
  const refresh = signRefresh(ctx, user, sessionId);
  // Spend the old token and record its successor in one atomic step: exactly one winner.
  if (!(await ctx.storage.tokens.rotate(verified.jti, refresh.record, new Date(ctx.now())))) throw tokenError('Token is blacklisted');
  return { access: issueAccess(ctx, user, sessionId), refresh: refresh.issued };
}

/** simplejwt TokenRefreshSlidingView: same jti, new exp/iat, until refresh_exp has passed. */
export async function refreshSliding(ctx: TokenContext, raw: string): Promise<string> {
  const verified = await verifyToken(ctx, raw, ['sliding'], { ignoreExpiry: true });
  const refreshExp = verified.claims[ctx.names.refreshExp];
  const nowSeconds = Math.floor(ctx.now() / 1000);
  if (typeof refreshExp !== 'number' || refreshExp + ctx.config.leeway <= nowSeconds) {
    throw tokenError(`Token '${ctx.names.refreshExp}' claim has expired`);
  }
  const stored = await ctx.storage.tokens.find(verified.jti);
  if (!stored) throw tokenError('Token is invalid');
  if (stored.revokedAt) throw tokenError('Token is blacklisted');
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
  const stored = await ctx.storage.tokens.find(verified.jti);
  if (!stored) throw tokenError('Token is invalid');
  if (stored.revokedAt) throw tokenError('Token is blacklisted');
  await ctx.storage.tokens.revoke(verified.jti, new Date(ctx.now()));
  await revokeSession(stored.sessionId);
  return stored.sessionId;
}
