import { AuthError } from '../errors/auth-error.js';
import type { Claims, TokenType } from './claims.js';
import type { Decoded, DecodeFailure } from './codec.js';
import type { TokenContext } from './context.js';

export interface VerifiedToken {
  type: TokenType;
  claims: Claims;
  jti: string;
  /** The session (refresh family) the token belongs to, when it carries one. */
  sessionId: string | null;
  /** The user id claim as it was issued (number for USER_ID_FIELD=id, string for email). */
  userId: number | string | null;
}

/** The longest token doorman accepts; anything longer is not one of ours. */
export const MAX_TOKEN_LENGTH = 8192;

export function tokenError(message: string): AuthError {
  return new AuthError('token_not_valid', { detail: message });
}

const TOKEN_TYPES = new Set<string>(['access', 'refresh', 'sliding']);

const FAILURE_MESSAGES: Record<DecodeFailure, string> = {
  expired: 'Token is expired',
  no_exp: "Token has no 'exp' claim",
  invalid: 'Token is invalid',
};

/**
 * The only place tokens are verified (STYLE: wrap the verifier once). Signature, pinned
 * algorithm, kid, exp (+ leeway), nbf, aud/iss are checked by the codec; then, as simplejwt's
 * Token.verify: a known token type among `accept`, a jti, and a session that is not revoked.
 * Throws `token_not_valid` with simplejwt's message.
 *
 * Synchronous for doorman's own tokens (the request hot path: no promise, no microtask), a
 * promise only for a token verified with the remote JWKS (JWK_URL). `await` works for both.
 */
export function verifyToken(
  ctx: TokenContext,
  token: string,
  accept: readonly TokenType[],
  options: VerifyOptions = {},
): VerifiedToken | Promise<VerifiedToken> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw tokenError('Token is invalid');
  const decoded = options.ignoreExpiry ? ctx.codec.verifyIgnoringExpiry(token) : ctx.codec.verify(token);
  if (decoded instanceof Promise) return decoded.then((remote) => checkClaims(ctx, remote, accept, options));
  return checkClaims(ctx, decoded, accept, options);
}

interface VerifyOptions {
  ignoreExpiry?: boolean;
  ignoreRevokedSession?: boolean;
}

function checkClaims(ctx: TokenContext, decoded: Decoded, accept: readonly TokenType[], options: VerifyOptions): VerifiedToken {
  if (!decoded.ok) throw tokenError(FAILURE_MESSAGES[decoded.reason]);
  const claims = decoded.payload as Claims;
  const type = claims[ctx.names.tokenType];
  // simplejwt's verify_token_type: absent → "no type"; present but not one we take → "wrong type".
  if (type === undefined) throw tokenError('Token has no type');
  if (typeof type !== 'string' || !TOKEN_TYPES.has(type) || !accept.includes(type as TokenType)) throw tokenError('Token has wrong type');
  const jti = claims[ctx.names.jti];
  if (typeof jti !== 'string' || jti.length === 0) throw tokenError('Token has no id');
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw tokenError('Token is invalid');
  const sid = claims[ctx.names.session];
  const sessionId = typeof sid === 'string' ? sid : null;
  if (sessionId && !options.ignoreRevokedSession && ctx.view.isSessionRevoked(sessionId, ctx.now())) throw tokenError('Token is blacklisted');
  const uid = claims[ctx.names.userId];
  const userId = typeof uid === 'number' || typeof uid === 'string' ? uid : null;
  return { type: type as TokenType, claims, jti, sessionId, userId };
}
