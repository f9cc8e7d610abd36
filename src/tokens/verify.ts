import { AuthError } from '../errors/auth-error.js';
import type { Claims, TokenType } from './claims.js';
import type { TokenContext } from './context.js';
import { DECODE_MESSAGES, jtiProblem, tokenShapeProblem, tokenTypeProblem, userIdOf, type Decoded } from './rules.js';

import { recordedJti, sessionlessProblem } from './sessionless.js';

export { MAX_TOKEN_LENGTH } from './rules.js';

export interface VerifiedToken {
  type: TokenType;
  claims: Claims;
  jti: string;
  /** The session (refresh family) the token belongs to, when it carries one. */
  sessionId: string | null;
  /** The user id claim as it was issued (number for USER_ID_FIELD=id, string for email). */
  userId: number | string | null;
  /** Issued by a simplejwt server with doorman's key (no sid): only in transition mode (tokens/transition.ts). */
  simplejwt: boolean;
}

export interface VerifyOptions {
  ignoreExpiry?: boolean;
  ignoreRevokedSession?: boolean;
}

export function tokenError(message: string): AuthError {
  return new AuthError('token_not_valid', { detail: message });
}

/**
 * The only place tokens are verified (STYLE: wrap the verifier once), with doorman's own keys:
 * synchronous, the request hot path (no promise, no microtask). Signature, pinned algorithm,
 * kid, exp (+ leeway), nbf, aud/iss are checked by the codec; then, as simplejwt's
 * Token.verify: a known token type among `accept`, a jti, and a session that is not revoked.
 * Throws `token_not_valid` with simplejwt's message. Returns null only when the token's kid is
 * not ours and JWK_URL is set: {@link verifyToken} then asks the remote key set.
 */
export function verifyOwnToken(
  ctx: TokenContext,
  token: string,
  accept: readonly TokenType[],
  options: VerifyOptions = {},
): VerifiedToken | null {
  const shape = tokenShapeProblem(token);
  if (shape) throw tokenError(shape);
  const decoded = options.ignoreExpiry ? ctx.codec.verifyIgnoringExpiry(token) : ctx.codec.verify(token);
  return decoded === null ? null : checkClaims(ctx, decoded, accept, options, false);
}

/** As {@link verifyOwnToken}, and a token signed elsewhere is checked with the remote JWKS (JWK_URL). */
export async function verifyToken(
  ctx: TokenContext,
  token: string,
  accept: readonly TokenType[],
  options: VerifyOptions = {},
): Promise<VerifiedToken> {
  return (
    verifyOwnToken(ctx, token, accept, options) ??
    checkClaims(ctx, await ctx.codec.verifyRemote(token), accept, options, true)
  );
}

function checkClaims(
  ctx: TokenContext,
  decoded: Decoded,
  accept: readonly TokenType[],
  options: VerifyOptions,
  remote: boolean,
): VerifiedToken {
  if (!decoded.ok) throw tokenError(DECODE_MESSAGES[decoded.reason]);
  const claims = decoded.payload as Claims;
  const type = claims[ctx.names.tokenType];
  const problem = tokenTypeProblem(type, accept) ?? jtiProblem(claims[ctx.names.jti]);
  if (problem) throw tokenError(problem);
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw tokenError('Token is invalid');
  const sid = claims[ctx.names.session];
  const sessionId = typeof sid === 'string' ? sid : null;
  // doorman's keys sign nothing without a sid but simplejwt's tokens, in transition mode.
  const simplejwt = sessionId === null && !remote;
  const sessionless = simplejwt ? sessionlessProblem(ctx, claims[ctx.names.jti] as string) : null;
  if (sessionless) throw tokenError(sessionless);
  if (sessionId && !options.ignoreRevokedSession && ctx.view.isSessionRevoked(sessionId, ctx.now()))
    throw tokenError('Token is blacklisted');
  return {
    type: type as TokenType,
    claims,
    jti: claims[ctx.names.jti] as string,
    sessionId,
    userId: userIdOf(claims[ctx.names.userId]),
    simplejwt,
  };
}

/** What the verify views answer: the token is valid, and whether it (or its session) was blacklisted. */
export interface InspectedToken extends VerifiedToken {
  blacklisted: boolean;
}

/**
 * simplejwt's UntypedToken, for the verify views: any doorman token, valid whatever its type;
 * a refresh or sliding token is looked up, so a blacklisted one is reported as such.
 */
export async function inspectToken(ctx: TokenContext, raw: string): Promise<InspectedToken> {
  const verified = await verifyToken(ctx, raw, ['access', 'refresh', 'sliding'], { ignoreRevokedSession: true });
  if (verified.sessionId && ctx.view.isSessionRevoked(verified.sessionId, ctx.now()))
    return { ...verified, blacklisted: true };
  if (verified.type === 'access') return { ...verified, blacklisted: false };
  // Only the blacklist is consulted, as simplejwt's verify view: an unknown session is not
  // "blacklisted". A refresh token is once its session ended or (with blacklist-after-rotation)
  // once it was rotated away; verifying it is not a use, so no reuse is signalled. A simplejwt
  // token (transition mode) is recorded under a session of its own once it was used here.
  const sessionId = verified.simplejwt ? recordedJti(verified) : verified.sessionId;
  const session = sessionId ? await ctx.storage.sessions.find(sessionId) : null;
  const strict = verified.simplejwt || (ctx.config.rotateRefreshTokens && ctx.config.blacklistAfterRotation);
  const spent = strict && session !== null && session.currentJti !== recordedJti(verified);
  return { ...verified, blacklisted: Boolean(session?.revokedAt) || spent };
}
