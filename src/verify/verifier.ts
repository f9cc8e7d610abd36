import {
  jtiProblem,
  NO_USER_ID,
  tokenFromHeader,
  tokenShapeProblem,
  tokenTypeProblem,
  userIdOf,
} from '../tokens/rules.js';
import { invalidToken, VerifyError } from './errors.js';
import { jwksCheck, secretCheck, ASYMMETRIC, type ClaimRules, type JwksOptions, type SignatureCheck } from './keys.js';

/** A verified doorman access token. */
export interface VerifiedAccess {
  /** The user id claim (a number, or the e-mail under USER_ID_FIELD=email). */
  userId: number | string;
  claims: Record<string, unknown> & { exp: number };
  token: string;
}

export interface VerifierOptions {
  /** doorman's HS signing key (DOORMAN_SIGNING_KEY), shared with this service. */
  secret?: string | Uint8Array;
  /** doorman's JWKS URL (`https://auth.example.com/.well-known/jwks.json`), for asymmetric keys. */
  jwksUrl?: string | URL;
  /** The accepted algorithms: pinned (default ["HS256"] with a secret, the asymmetric ones with a JWKS). */
  algorithms?: string[];
  audience?: string | string[];
  issuer?: string | string[];
  /** Seconds of clock skew allowed (default 0). */
  leeway?: number;
  /** Claim names, when doorman renames them (TOKEN_TYPE_CLAIM, USER_ID_CLAIM, JTI_CLAIM). */
  tokenTypeClaim?: string;
  userIdClaim?: string;
  jtiClaim?: string;
  /** The Authorization header's accepted schemes (default ["Bearer"]). */
  authHeaderTypes?: string[];
  /**
   * This verifier cannot see doorman's revocations (logout, password change, deactivation):
   * a token stays valid until it expires, at most the access lifetime (5 min by default).
   * Supply this to consult a denylist of your own (e.g. by `claims.jti` or `claims.sid`).
   */
  isRevoked?: (claims: VerifiedAccess['claims']) => boolean | Promise<boolean>;
  jwks?: JwksOptions;
}

type Headers = Record<string, string | string[] | undefined>;

/** Checks doorman's access tokens in another service; every failure is a VerifyError with the server's 401 body. */
export interface Verifier {
  /** The token, verified (signature, pinned algorithm, exp, aud/iss, type "access", jti, user id). */
  verify(token: string): Promise<VerifiedAccess>;
  /** The request's token, verified; null when it carries no credentials of our scheme. */
  fromHeaders(headers: Headers): Promise<VerifiedAccess | null>;
  /** As fromHeaders, but no credentials is 401 not_authenticated. */
  requireHeaders(headers: Headers): Promise<VerifiedAccess>;
}

function signatureCheck(options: VerifierOptions, rules: Omit<ClaimRules, 'algorithms'>): SignatureCheck {
  if ((options.secret === undefined) === (options.jwksUrl === undefined))
    throw new TypeError('createVerifier needs exactly one of `secret` and `jwksUrl`');
  if (options.secret !== undefined)
    return secretCheck(options.secret, { ...rules, algorithms: options.algorithms ?? ['HS256'] });
  return jwksCheck(options.jwksUrl!, { ...rules, algorithms: options.algorithms ?? [...ASYMMETRIC] }, options.jwks);
}

/**
 * Verifies doorman's access tokens in another service, with no database: signature with the
 * pinned algorithms, `exp` required, aud/iss/leeway, `token_type` "access", a jti and a user
 * id. Failures are VerifyError with the server's exact 401 bodies.
 *
 * @example
 * import { createVerifier } from 'doorman/verify';
 * const verifier = createVerifier({ jwksUrl: 'https://auth.example.com/.well-known/jwks.json', issuer: 'https://auth.example.com' });
 * const { userId, claims } = await verifier.verify(token);
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const leeway = options.leeway ?? 0;
  if (!Number.isFinite(leeway) || leeway < 0) throw new TypeError('leeway must be a non-negative number of seconds');
  const check = signatureCheck(options, {
    leeway,
    ...(options.audience ? { audience: options.audience } : {}),
    ...(options.issuer ? { issuer: options.issuer } : {}),
  });
  const typeClaim = options.tokenTypeClaim ?? 'token_type';
  const userClaim = options.userIdClaim ?? 'user_id';
  const jtiClaim = options.jtiClaim ?? 'jti';
  const types = options.authHeaderTypes ?? ['Bearer'];

  async function verify(token: string): Promise<VerifiedAccess> {
    const shape = tokenShapeProblem(token);
    if (shape) throw invalidToken(shape);
    const claims = await check(token);
    const problem = tokenTypeProblem(claims[typeClaim], ['access']) ?? jtiProblem(claims[jtiClaim]);
    if (problem) throw invalidToken(problem);
    if (typeof claims.exp !== 'number') throw invalidToken('Token is invalid');
    const userId = userIdOf(claims[userClaim]);
    if (userId === null) throw new VerifyError('token_not_valid', { detail: NO_USER_ID });
    const verified = { userId, claims: claims as VerifiedAccess['claims'], token };
    if (options.isRevoked && (await options.isRevoked(verified.claims))) throw invalidToken('Token is blacklisted');
    return verified;
  }

  async function fromHeaders(headers: Headers): Promise<VerifiedAccess | null> {
    const token = tokenFromHeader(headers.authorization, types);
    if (token === 'bad_header') throw new VerifyError('bad_authorization_header');
    return token === null ? null : verify(token);
  }

  async function requireHeaders(headers: Headers): Promise<VerifiedAccess> {
    const verified = await fromHeaders(headers);
    if (!verified) throw new VerifyError('not_authenticated');
    return verified;
  }

  return { verify, fromHeaders, requireHeaders };
}
