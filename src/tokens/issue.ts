import type { OutstandingToken } from '../storage/ports.js';
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

function sign(ctx: TokenContext, type: TokenType, user: User, sessionId: string, lifetime: number, extra: Record<string, unknown>): IssuedToken {
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

/** A signed refresh token and the row that records it (by jti, never the token itself). */
export function signRefresh(ctx: TokenContext, user: User, sessionId: string): { issued: IssuedToken; record: OutstandingToken } {
  const issued = sign(ctx, 'refresh', user, sessionId, ctx.config.refreshTokenLifetime, {});
  const record: OutstandingToken = {
    jti: issued.jti,
    userId: user.id,
    sessionId: sessionId,
    tokenType: 'refresh',
    createdAt: new Date(ctx.now()),
    expiresAt: new Date(issued.exp * 1000),
    revokedAt: null,
  };
  return { issued, record };
}

/** A refresh token, recorded in the session `sessionId`. */
export async function issueRefresh(ctx: TokenContext, user: User, sessionId: string): Promise<IssuedToken> {
  const { issued, record } = signRefresh(ctx, user, sessionId);
  await ctx.storage.tokens.record(record);
  return issued;
}

/** A new session: a refresh token and an access token sharing a fresh session id. */
export async function issuePair(ctx: TokenContext, user: User, sessionId: string = newJti(ctx.now())): Promise<TokenPair> {
  const refresh = await issueRefresh(ctx, user, sessionId);
  const access = issueAccess(ctx, user, sessionId);
  return { access: access.token, refresh: refresh.token, accessExp: access.exp, refreshExp: refresh.exp, sessionId };
}

/** A sliding token (simplejwt SlidingToken): authenticates until exp, refreshable until refresh_exp. */
export async function issueSliding(ctx: TokenContext, user: User): Promise<IssuedToken> {
  const sessionId = newJti(ctx.now());
  const refreshExp = Math.floor(ctx.now() / 1000) + ctx.config.slidingTokenRefreshLifetime;
  const issued = sign(ctx, 'sliding', user, sessionId, ctx.config.slidingTokenLifetime, { [ctx.names.refreshExp]: refreshExp });
  await ctx.storage.tokens.record({
    jti: issued.jti,
    userId: user.id,
    sessionId: sessionId,
    tokenType: 'sliding',
    createdAt: new Date(ctx.now()),
    expiresAt: new Date(refreshExp * 1000),
    revokedAt: null,
  });
  return issued;
}
