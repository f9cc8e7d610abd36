/**
 * simplejwt's token rules, written once and free of dependencies, so the server (`tokens/`,
 * `http/`) and the standalone verifier (`verify/`) answer the same token with the same words.
 * Every function returns a problem message (simplejwt's exact text) or null; callers wrap it in
 * their own error type.
 */
export { ASYMMETRIC_ALGORITHMS, HS_MIN_BYTES, JWT_ALGORITHMS, type JwtAlgorithm } from '../keys/algorithms.js';

/** What every 401 carries (RFC 6750 §3), from the server and from doorman/verify alike. */
export const CHALLENGE = 'Bearer realm="api"';

/** The longest token doorman accepts; anything longer is not one of ours. */
export const MAX_TOKEN_LENGTH = 8192;

/** Why a token failed: simplejwt words each differently ("Token is expired", "Token has no 'exp' claim", "Token is invalid"). */
export type DecodeFailure = 'expired' | 'no_exp' | 'invalid';

export type Decoded = { ok: true; payload: Record<string, unknown> } | { ok: false; reason: DecodeFailure };

/** simplejwt's message for each way the signature/claims check fails. */
export const DECODE_MESSAGES: Readonly<Record<DecodeFailure, string>> = {
  expired: 'Token is expired',
  no_exp: "Token has no 'exp' claim",
  invalid: 'Token is invalid',
};

export const TOKEN_TYPES = ['access', 'refresh', 'sliding'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/** What a token must look like before any cryptography: a non-empty string of bounded length. */
export function tokenShapeProblem(token: unknown): string | null {
  return typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH ? 'Token is invalid' : null;
}

/**
 * simplejwt's JWTAuthentication steps 1 and 2: the header, then the raw token. A header of
 * another scheme is "no credentials" (null: another authenticator may own it); a header of our
 * scheme without exactly one token is `'bad_header'` (401 bad_authorization_header).
 */
export function tokenFromHeader(
  header: string | string[] | undefined,
  types: readonly string[],
): string | null | 'bad_header' {
  if (typeof header !== 'string') return null;
  const parts = header.trim().split(/\s+/);
  if (parts[0] === undefined || parts[0] === '' || !types.includes(parts[0])) return null;
  if (parts.length !== 2) return 'bad_header';
  return parts[1]!;
}

/** simplejwt's verify_token_type: absent → "no type"; present but not one `accept`ed → "wrong type". */
export function tokenTypeProblem(type: unknown, accept: readonly string[]): string | null {
  if (type === undefined) return 'Token has no type';
  if (typeof type !== 'string' || !(TOKEN_TYPES as readonly string[]).includes(type) || !accept.includes(type))
    return 'Token has wrong type';
  return null;
}

/** simplejwt's check of the jti claim. */
export function jtiProblem(jti: unknown): string | null {
  return typeof jti !== 'string' || jti.length === 0 ? 'Token has no id' : null;
}

/** The user id claim as issued (a number for USER_ID_FIELD=id, a string for email), or null. */
export function userIdOf(value: unknown): number | string | null {
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

/** simplejwt's message when the token names no user (JWTAuthentication.get_user). */
export const NO_USER_ID = 'Token contained no recognizable user identification';
