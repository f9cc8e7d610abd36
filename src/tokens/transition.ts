import type { Session } from '../storage/ports.js';
import type { User } from '../users/types.js';
import { AuthError } from '../errors/auth-error.js';
import type { TokenContext } from './context.js';
import { issueAccess, signRefresh, type IssuedToken } from './issue.js';
import { recordedJti } from './sessionless.js';
import { tokenError, type VerifiedToken } from './verify.js';

/**
 * The simplejwt transition (DOORMAN_SIMPLEJWT_TRANSITION, issue 16): while a Django site and
 * doorman share a signing key, tokens the Django side issued keep working here. They are told
 * apart by what doorman always adds and simplejwt never does, the `sid` claim. The codec has
 * already checked them as strictly as doorman's own: signature, pinned algorithm, exp required.
 *
 * What cannot work: the Django side's blacklist (OutstandingToken/BlacklistedToken) is not
 * visible here, so a simplejwt refresh token blacklisted there is still accepted once here.
 */

/** Django user id → doorman user id, per doorman instance: links never move once made (import-django). */
const linkCache = new WeakMap<TokenContext, Map<number, number>>();
const LINK_CACHE_SIZE = 10_000;

/**
 * The key doorman's user cache knows a simplejwt token's user by. With USER_ID_FIELD=id the
 * claim is Django's primary key, which means a doorman user only through the link import-django
 * recorded: a doorman user who happens to have that id is never taken for them.
 */
export async function transitionUserKey(ctx: TokenContext, userId: number | string): Promise<string | null> {
  if (ctx.config.userIdField === 'email') return String(userId);
  const djangoId = Number(userId);
  if (!Number.isSafeInteger(djangoId)) return null;
  let cache = linkCache.get(ctx);
  if (!cache) linkCache.set(ctx, (cache = new Map()));
  const cached = cache.get(djangoId);
  if (cached !== undefined) return String(cached);
  const linked = await ctx.storage.djangoLinks.userFor(djangoId);
  if (linked === null) return null;
  if (cache.size >= LINK_CACHE_SIZE) cache.clear();
  cache.set(djangoId, linked);
  return String(linked);
}

/** The doorman user a simplejwt token's user id claim names, or null. */
async function tokenUser(ctx: TokenContext, userId: number | string | null): Promise<User | null> {
  const key = userId === null ? null : await transitionUserKey(ctx, userId);
  if (key === null) return null;
  return ctx.config.userIdField === 'email'
    ? ctx.storage.users.findByEmail(key)
    : ctx.storage.users.findById(Number(key));
}

/**
 * A simplejwt refresh token presented at doorman's refresh: accepted once, then spent. It opens
 * a session of its own, whose id and first current jti are the token's jti under its own prefix
 * (so every presentation finds the same row), and is rotated in the same atomic step as
 * doorman's own tokens: of any number of presentations, in parallel or later, exactly one gets
 * doorman's tokens and the rest "Token is blacklisted". A refresh token is always returned,
 * even with ROTATE_REFRESH_TOKENS off: the client cannot use the old one again.
 */
export async function refreshFromSimplejwt(
  ctx: TokenContext,
  verified: VerifiedToken,
): Promise<{ access: IssuedToken; refresh: IssuedToken; sessionId: string }> {
  const user = await tokenUser(ctx, verified.userId);
  if (!user || !user.isActive)
    throw new AuthError('no_active_account', { detail: 'No active account found for the given token.' });
  const session = await recordOnce(ctx, verified, user);
  const jti = recordedJti(verified);
  if (session.revokedAt || session.currentJti !== jti) throw tokenError('Token is blacklisted');
  const refresh = signRefresh(ctx, user, session.id);
  const next = { jti: refresh.jti, expiresAt: new Date(refresh.exp * 1000) };
  if (!(await ctx.storage.sessions.rotate(session.id, jti, next, new Date(ctx.now()))))
    throw tokenError('Token is blacklisted');
  return { access: issueAccess(ctx, user, session.id), refresh, sessionId: session.id };
}

/**
 * Logout or /api/token/blacklist/ with a simplejwt refresh token: it is recorded and its session
 * ended, so it can no longer be exchanged here. Returns that session's id.
 */
export async function blacklistSimplejwt(ctx: TokenContext, verified: VerifiedToken): Promise<string> {
  const user = await tokenUser(ctx, verified.userId);
  if (!user) throw tokenError('Token is invalid');
  const session = await recordOnce(ctx, verified, user);
  if (session.revokedAt || session.currentJti !== recordedJti(verified)) throw tokenError('Token is blacklisted');
  await ctx.revocation.revokeSession(session.id);
  return session.id;
}

/** The token's session, opened by this call or an earlier (or concurrent) one: rotate decides who wins. */
async function recordOnce(ctx: TokenContext, verified: VerifiedToken, user: User): Promise<Session> {
  const id = recordedJti(verified);
  try {
    await ctx.storage.sessions.create({
      id,
      userId: user.id,
      tokenType: 'refresh',
      currentJti: id,
      createdAt: new Date(verified.claims.iat * 1000),
      expiresAt: new Date(verified.claims.exp * 1000),
      userAgent: null,
      ip: null,
      credentialsEpoch: user.credentialsEpoch,
    });
  } catch {
    // Already recorded: the row below is the one that counts.
  }
  const session = await ctx.storage.sessions.find(id);
  if (!session) throw tokenError('Token is invalid');
  return session;
}
