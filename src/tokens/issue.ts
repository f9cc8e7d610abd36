import { AuthError } from '../errors/auth-error.js';
import type { User } from '../users/types.js';
import { newJti, type TokenType } from './claims.js';
import type { TokenContext } from './context.js';

export interface IssuedToken {
  token: string;
  jti: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

export interface TokenPair {
  access: string;
  refresh: string;
  accessExp: number;
  refreshExp: number;
  sessionId: string;
}

/** Claims a custom-claims hook may not override: the ones verification depends on. */
function reserved(ctx: TokenContext): Set<string> {
  const n = ctx.names;
  return new Set([n.tokenType, n.jti, n.userId, n.session, n.refreshExp, 'exp', 'iat', 'nbf', 'aud', 'iss']);
}

function userIdValue(ctx: TokenContext, user: User): number | string {
  return ctx.config.userIdField === 'email' ? user.email : user.id;
}

function sign(
  ctx: TokenContext,
  type: TokenType,
  user: User,
  sessionId: string,
  lifetime: number,
  extra: Record<string, unknown>,
): IssuedToken {
  const iat = Math.floor(ctx.now() / 1000);
  const jti = newJti(ctx.now());
  const exp = iat + lifetime;
  const custom = type === 'refresh' ? {} : ctx.customClaims(user);
  const guarded = reserved(ctx);
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(custom)) if (!guarded.has(key)) payload[key] = value;
  Object.assign(payload, {
    [ctx.names.tokenType]: type,
    exp,
    iat,
    [ctx.names.jti]: jti,
    [ctx.names.userId]: userIdValue(ctx, user),
    [ctx.names.session]: sessionId,
    ...extra,
  });
  if (ctx.config.audience) payload.aud = ctx.config.audience;
  if (ctx.config.issuer) payload.iss = ctx.config.issuer;
  return { token: ctx.codec.sign(payload), jti, exp };
}

export function issueAccess(ctx: TokenContext, user: User, sessionId: string): IssuedToken {
  return sign(ctx, 'access', user, sessionId, ctx.config.accessTokenLifetime, {});
}

/** A signed refresh token of the session (recorded by openSession or a rotation, by jti only). */
export function signRefresh(ctx: TokenContext, user: User, sessionId: string): IssuedToken {
  return sign(ctx, 'refresh', user, sessionId, ctx.config.refreshTokenLifetime, {});
}

/** Where a session was opened from, shown in GET /account/sessions/. */
export interface SessionOrigin {
  userAgent?: string | null;
  ip?: string | null;
}

/** Longest user agent kept (the column's size); longer ones are cut. */
const MAX_USER_AGENT = 512;

/**
 * Records a new session opened with `user`'s current credentials, then checks them again: a
 * password change that committed while this login was waiting for argon2 bumped the user's
 * credentials epoch, and its revocation may have run before this session existed. Either the
 * re-read sees the new epoch (this session ends here and the login is refused) or the change
 * committed after it, and then its revocation sees this session. No login with the old
 * password outlives the change.
 */
async function openSession(
  ctx: TokenContext,
  user: User,
  sessionId: string,
  type: 'refresh' | 'sliding',
  jti: string,
  expiresAt: Date,
  origin: SessionOrigin,
): Promise<void> {
  const now = new Date(ctx.now());
  await ctx.storage.sessions.create({
    id: sessionId,
    userId: user.id,
    tokenType: type,
    currentJti: jti,
    createdAt: now,
    expiresAt,
    userAgent: origin.userAgent ? origin.userAgent.slice(0, MAX_USER_AGENT) : null,
    ip: origin.ip ? origin.ip.slice(0, 64) : null,
    credentialsEpoch: user.credentialsEpoch,
  });
  const current = await ctx.storage.users.findById(user.id);
  if (!current || !current.isActive || current.credentialsEpoch !== user.credentialsEpoch) {
    await ctx.revocation.revokeSession(sessionId);
    throw new AuthError('no_active_account');
  }
}

/**
 * A new session: a refresh token and an access token sharing a fresh session id. Throws
 * `no_active_account` when the user's password changed (or the user was deactivated) while
 * this sign-in was under way.
 */
export async function issuePair(
  ctx: TokenContext,
  user: User,
  origin: SessionOrigin = {},
  sessionId: string = newJti(ctx.now()),
): Promise<TokenPair> {
  const refresh = signRefresh(ctx, user, sessionId);
  await openSession(ctx, user, sessionId, 'refresh', refresh.jti, new Date(refresh.exp * 1000), origin);
  const access = issueAccess(ctx, user, sessionId);
  return { access: access.token, refresh: refresh.token, accessExp: access.exp, refreshExp: refresh.exp, sessionId };
}

/** A sliding token (simplejwt SlidingToken): authenticates until exp, refreshable until refresh_exp. Its own session. */
export async function issueSliding(ctx: TokenContext, user: User, origin: SessionOrigin = {}): Promise<IssuedToken> {
  const sessionId = newJti(ctx.now());
  const refreshExp = Math.floor(ctx.now() / 1000) + ctx.config.slidingTokenRefreshLifetime;
  const issued = sign(ctx, 'sliding', user, sessionId, ctx.config.slidingTokenLifetime, {
    [ctx.names.refreshExp]: refreshExp,
  });
  await openSession(ctx, user, sessionId, 'sliding', issued.jti, new Date(refreshExp * 1000), origin);
  return issued;
}
