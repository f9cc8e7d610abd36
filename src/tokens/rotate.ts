import { AuthError } from '../errors/auth-error.js';
import type { Session } from '../storage/ports.js';
import { userForClaim } from '../users/find-by-claim.js';
import type { User } from '../users/types.js';
import type { TokenContext } from './context.js';
import { issueAccess, signRefresh, type IssuedToken } from './issue.js';
import { liveSession } from './stored.js';
import { blacklistSimplejwt, refreshFromSimplejwt } from './transition.js';
import { tokenError, verifyToken, type VerifiedToken } from './verify.js';

export interface RefreshResult {
  access: IssuedToken;
  /** Present when ROTATE_REFRESH_TOKENS is on. */
  refresh?: IssuedToken;
  /** The session the tokens belong to (the CSRF cookie in cookie mode is bound to it). */
  sessionId: string;
}

/** The user a verified token names (null when none). */
function findUser(ctx: TokenContext, verified: VerifiedToken): Promise<User | null> {
  return verified.userId === null
    ? Promise.resolve(null)
    : userForClaim(ctx.storage.users, ctx.config.userIdField, verified.userId);
}

/** simplejwt's TokenRefreshSerializer check: the user must still exist and be active. */
async function activeUser(found: Promise<User | null>): Promise<User> {
  const user = await found;
  if (!user || !user.isActive)
    throw new AuthError('no_active_account', { detail: 'No active account found for the given token.' });
  return user;
}

/** With blacklist-after-rotation (the default) only the session's current token may be used. */
export function strict(ctx: TokenContext): boolean {
  return ctx.config.rotateRefreshTokens && ctx.config.blacklistAfterRotation;
}

/**
 * A spent refresh token of a live session was presented: it was stolen and used, or the
 * client's copy was. Either way nobody can tell the thief from the owner, so the whole session
 * ends (RFC 9700 §4.14.2, as node-oidc-provider does). Within DOORMAN_REFRESH_REUSE_GRACE of
 * its rotation, the token just replaced is refused without ending the session (two tabs).
 */
async function reused(ctx: TokenContext, session: Session, jti: string): Promise<never> {
  const grace = ctx.config.refreshReuseGrace * 1000;
  const withinGrace =
    grace > 0 &&
    session.previousJti === jti &&
    session.rotatedAt !== null &&
    ctx.now() - session.rotatedAt.getTime() <= grace;
  if (!withinGrace) await ctx.revocation.sessionReused(session.id);
  throw tokenError('Token is blacklisted');
}

/** The session's user, still active, with the password the session was opened with. */
async function sessionUser(
  ctx: TokenContext,
  session: Session,
  verified: VerifiedToken,
  found: Promise<User | null> = findUser(ctx, verified),
): Promise<User> {
  const user = await activeUser(found);
  if (user.id !== session.userId) throw tokenError('Token is invalid');
  if (user.credentialsEpoch !== session.credentialsEpoch) {
    // The password changed after this session was opened (a login that raced the change).
    await ctx.revocation.revokeSession(session.id);
    throw tokenError('Token is blacklisted');
  }
  return user;
}

/**
 * Refresh (simplejwt TokenRefreshView). With rotation and blacklist-after-rotation (the
 * default) the session's current token is rotated exactly once: of N parallel refreshes with
 * one token, one gets a new pair; the others presented a spent token, which ends the session
 * (unless within the reuse grace). Custom claims come from the current user, never from the
 * old token.
 */
export async function refreshTokens(ctx: TokenContext, raw: string): Promise<RefreshResult> {
  const verified = await verifyToken(ctx, raw, ['refresh']);
  if (verified.simplejwt) return refreshFromSimplejwt(ctx, verified);
  // The user is read while the session is: on PostgreSQL that is one round trip's wait instead
  // of two. It is judged only after the session checks, in the same order as before (so a
  // failed read surfaces where it did; unjudged, its rejection is ignored). The read is still
  // made after the token was presented, so it sees a password change that committed before.
  const found = findUser(ctx, verified);
  found.catch(() => {});
  const session = await liveSession(ctx, verified, 'refresh');
  if (strict(ctx) && verified.jti !== session.currentJti) return reused(ctx, session, verified.jti);
  const user = await sessionUser(ctx, session, verified, found);
  const at = new Date(ctx.now());
  if (!ctx.config.rotateRefreshTokens) {
    await ctx.storage.sessions.touch(session.id, at);
    return { access: issueAccess(ctx, user, session.id), sessionId: session.id };
  }
  const refresh = signRefresh(ctx, user, session.id);
  const next = { jti: refresh.jti, expiresAt: new Date(refresh.exp * 1000) };
  if (!strict(ctx)) {
    // Older tokens stay usable in this mode (simplejwt without blacklist-after-rotation); the
    // session only follows the newest one. A lost race here means a sibling moved it already.
    await ctx.storage.sessions.rotate(session.id, session.currentJti, next, at);
    return { access: issueAccess(ctx, user, session.id), refresh, sessionId: session.id };
  }
  // One conditional write spends the old jti and installs the new one: exactly one winner.
  if (!(await ctx.storage.sessions.rotate(session.id, verified.jti, next, at))) {
    const now = await ctx.storage.sessions.find(session.id);
    if (!now || now.revokedAt) throw tokenError('Token is blacklisted');
    return reused(ctx, now, verified.jti);
  }
  return { access: issueAccess(ctx, user, session.id), refresh, sessionId: session.id };
}

/** simplejwt TokenRefreshSlidingView: same jti, new exp/iat, until refresh_exp has passed. */
export async function refreshSliding(ctx: TokenContext, raw: string): Promise<string> {
  const verified = await verifyToken(ctx, raw, ['sliding'], { ignoreExpiry: true });
  const refreshExp = verified.claims[ctx.names.refreshExp];
  const nowSeconds = Math.floor(ctx.now() / 1000);
  if (typeof refreshExp !== 'number' || refreshExp + ctx.config.leeway <= nowSeconds) {
    throw tokenError(`Token '${ctx.names.refreshExp}' claim has expired`);
  }
  const session = await liveSession(ctx, verified, 'sliding');
  if (verified.jti !== session.currentJti) throw tokenError('Token is invalid');
  const user = await sessionUser(ctx, session, verified);
  await ctx.storage.sessions.touch(session.id, new Date(ctx.now()));
  const claims: Record<string, unknown> = {
    ...verified.claims,
    ...ctx.customClaims(user),
    iat: nowSeconds,
    exp: nowSeconds + ctx.config.slidingTokenLifetime,
  };
  // The fixed claims win over the hook, as at issue time.
  for (const name of [ctx.names.tokenType, ctx.names.jti, ctx.names.userId, ctx.names.session, ctx.names.refreshExp]) {
    claims[name] = verified.claims[name];
  }
  return ctx.codec.sign(claims);
}

/**
 * Blacklists a refresh (or sliding) token: its whole session ends, so the access tokens issued
 * with it stop too. A spent token of a live session is a reuse: the session ends and the
 * answer is simplejwt's "Token is blacklisted". Returns the session id.
 */
export async function blacklistToken(ctx: TokenContext, raw: string): Promise<string> {
  const verified = await verifyToken(ctx, raw, ['refresh', 'sliding']);
  if (verified.simplejwt) return blacklistSimplejwt(ctx, verified);
  const session = await liveSession(ctx, verified, verified.type === 'sliding' ? 'sliding' : 'refresh');
  if (strict(ctx) && verified.jti !== session.currentJti) {
    // Ended whatever the grace says: the holder asked for this session to end.
    await ctx.revocation.sessionReused(session.id);
    throw tokenError('Token is blacklisted');
  }
  await ctx.revocation.revokeSession(session.id);
  return session.id;
}

/**
 * dj-rest-auth's logout, made containing: the refresh token's session ends (a spent token counts
 * as a reuse and ends it too), and the session of a valid access token presented ends as well,
 * whatever became of the refresh token (spent, invalid, missing: those still answer as
 * dj-rest-auth does, after the access token's session has ended).
 */
export async function logout(ctx: TokenContext, raw: string | null, accessSessionId: string | null): Promise<void> {
  let failure: unknown = null;
  let ended: string | null = null;
  if (!raw) failure = new AuthError('token_not_valid', { detail: 'Refresh token was not included in request data.' });
  else {
    try {
      ended = await blacklistToken(ctx, raw);
    } catch (error) {
      failure = error;
    }
  }
  if (accessSessionId && accessSessionId !== ended) await ctx.revocation.revokeSession(accessSessionId);
  if (failure) throw failure;
}
