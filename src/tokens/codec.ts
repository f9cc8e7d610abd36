import { createDecoder, createSigner, createVerifier, TokenError } from 'fast-jwt';
import type { Config } from '../config/schema.js';
import { createKeystore, longestTokenLifetime, type Keystore, type KeySpec } from '../keys/keystore.js';
import { createRemoteVerifier } from './remote.js';
import type { Decoded, DecodeFailure } from './rules.js';

export type { Decoded, DecodeFailure };


/** Signs with the active key and verifies with the key the token's kid names; knows nothing of token types. */
export interface TokenCodec {
  readonly keystore: Keystore;
  sign(payload: Record<string, unknown>): string;
  /**
   * The verified payload, or a failure: bad signature, wrong alg, unknown kid, expired, not yet
   * valid, wrong aud/iss, no exp. Synchronous, with our own keys only (the hot path); null when
   * the token's kid is not ours and JWK_URL is set, so only {@link verifyRemote} can decide.
   */
  verify(token: string): Decoded | null;
  /** As verify, but an expired token still decodes (sliding tokens refresh until refresh_exp). */
  verifyIgnoringExpiry(token: string): Decoded | null;
  /** A token signed elsewhere, checked with the JWK_URL key set (invalid when none is set). */
  verifyRemote(token: string): Promise<Decoded>;
}

const CACHE_SIZE = 10_000;
const INVALID: Decoded = { ok: false, reason: 'invalid' };

/**
 * Verified tokens by their exact text, so a client repeating its access token (every
 * request for minutes) skips the HMAC. fast-jwt's own cache keys entries by a SHA-256 of
 * the token, which costs as much as the HMAC it saves on a miss (measured: 13 µs vs
 * 5.5 µs per distinct token); the token text itself is a collision-free key. A hit is
 * re-checked against exp (+ leeway) and nbf, so the cache never extends a token's life.
 * Safe with rotation too: a retired key verifies until every token it signed has expired.
 */
function createVerifiedCache(toleranceMs: number) {
  const entries = new Map<string, Record<string, unknown>>();
  // Eviction in insertion order through a ring of keys: Map#keys().next() after many
  // deletions walks the deleted slots V8 keeps until rehashing, O(n) per eviction.
  const ring: Array<string | undefined> = new Array(CACHE_SIZE);
  let next = 0;
  const usable = (payload: Record<string, unknown>, now: number) =>
    typeof payload.exp === 'number' && now < payload.exp * 1000 + toleranceMs && (typeof payload.nbf !== 'number' || payload.nbf * 1000 - toleranceMs <= now);
  return {
    get(token: string) {
      const payload = entries.get(token);
      if (!payload) return undefined;
      if (usable(payload, Date.now())) return payload;
      entries.delete(token);
      return undefined;
    },
    /**
     * Only payloads fast-jwt has just verified (exp and nbf included) come here. They are
     * shared, not copied or frozen (freezing cost a fifth of a miss): claims are typed
     * read-only for every consumer (AuthContext.claims).
     */
    set(token: string, payload: Record<string, unknown>) {
      if (entries.has(token)) return;
      const evicted = ring[next];
      if (evicted !== undefined) entries.delete(evicted);
      ring[next] = token;
      next = (next + 1) % CACHE_SIZE;
      entries.set(token, payload);
    },
  };
}

/**
 * The kid of a token's protected header; undefined when it has none, null when the header is
 * not a JSON object (the token is then refused without trying any key). Only the first segment
 * is decoded: the payload is not parsed before the signature is checked.
 */
export function headerKid(token: string): string | undefined | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > 2048) return null;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null) return null;
    const kid = (header as { kid?: unknown }).kid;
    if (kid === undefined) return undefined;
    return typeof kid === 'string' ? kid : null;
  } catch {
    return null;
  }
}

type Verify = (token: string) => unknown;

/**
 * fast-jwt on the request path (synchronous, ~1-2x the node:crypto floor), with one verifier
 * pair per key, each pinned to its key's algorithm: "none", an algorithm switched in the header
 * (RS256 → HS256 with the public key as secret, RFC 8725 §2.1), and a kid pointing at a key of
 * another algorithm are all refused. exp is required (simplejwt's "zombie tokens" note).
 *
 * Without a keystore or JWK_URL (one shared secret, the default) there is no header parsing
 * at all: exactly the verifier of the single key, so the default hot path costs what it did.
 */
export function createTokenCodec(config: Config, now: () => number = Date.now): TokenCodec {
  const keystore = createKeystore(config.keys, longestTokenLifetime(config));
  const active = keystore.signing;
  // iat comes from the payload (our injectable clock); fast-jwt only fills it in when absent.
  const signer = createSigner({ key: active.sign!, algorithm: active.alg, ...(active.kid ? { kid: active.kid } : {}) });
  const common = {
    // fast-jwt checks aud/iss only when present; a configured audience or issuer must be there.
    requiredClaims: ['exp', ...(config.audience ? ['aud'] : []), ...(config.issuer ? ['iss'] : [])],
    clockTolerance: config.leeway * 1000,
    ...(config.audience ? { allowedAud: config.audience } : {}),
    ...(config.issuer ? { allowedIss: config.issuer } : {}),
  };
  const verifiers = new Map<KeySpec, { strict: Verify; relaxed: Verify }>();
  for (const key of config.keys) {
    const options = { ...common, key: key.verify, algorithms: [key.alg] };
    verifiers.set(key, { strict: createVerifier(options), relaxed: createVerifier({ ...options, ignoreExpiration: true }) });
  }
  const remote = config.jwkUrl ? createRemoteVerifier(config) : null;
  const single = verifiers.get(active)!;
  const cache = createVerifiedCache(config.leeway * 1000);
  const decode = createDecoder();
  const reason = (error: unknown, token: string): DecodeFailure => {
    if (!(error instanceof TokenError)) return 'invalid';
    if (error.code === TokenError.codes.expired) return 'expired';
    if (error.code !== TokenError.codes.missingRequiredClaim) return 'invalid';
    try {
      const payload = decode(token) as Record<string, unknown>;
      return 'exp' in payload ? 'invalid' : 'no_exp';
    } catch {
      return 'invalid';
    }
  };
  const run = (verify: Verify, token: string): Decoded => {
    try {
      const payload = verify(token);
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return INVALID;
      return { ok: true, payload: payload as Record<string, unknown> };
    } catch (error) {
      return { ok: false, reason: reason(error, token) };
    }
  };

  /** The verifier for a token: by kid when keys have kids; the one key otherwise. */
  const select = (token: string, relaxed: boolean): Verify | 'remote' | null => {
    if (!keystore.usesKid && !remote) return relaxed ? single.relaxed : single.strict;
    const kid = headerKid(token);
    if (kid === null) return null;
    // A kid-less token can only be ours when our one key is a kid-less shared secret.
    if (kid === undefined) return keystore.usesKid ? null : relaxed ? single.relaxed : single.strict;
    const key = keystore.find(kid, now());
    if (key) return relaxed ? verifiers.get(key)!.relaxed : verifiers.get(key)!.strict;
    // Not one of ours: only a configured remote JWKS may vouch for it.
    return remote ? 'remote' : null;
  };
  const verify = (token: string, relaxed: boolean): Decoded | null => {
    const verifier = select(token, relaxed);
    if (verifier === null) return INVALID;
    if (verifier === 'remote') return null;
    return run(verifier, token);
  };

  return {
    keystore,
    sign: (payload) => signer(payload),
    verify(token) {
      const hit = cache.get(token);
      if (hit) return { ok: true, payload: hit };
      const decoded = verify(token, false);
      if (decoded?.ok) cache.set(token, decoded.payload);
      return decoded;
    },
    verifyIgnoringExpiry: (token) => verify(token, true),
    verifyRemote: async (token) => (remote ? remote(token) : INVALID),
  };
}
