import { createDecoder, createSigner, createVerifier, TokenError } from 'fast-jwt';
import type { Config } from '../config/schema.js';
import { createKeystore, longestTokenLifetime, type Keystore, type KeySpec } from '../keys/keystore.js';
import { createHmacVerifier } from './hmac-verifier.js';
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

const INVALID: Decoded = { ok: false, reason: 'invalid' };

/** Verified tokens remembered; the bench's distinct-token pool (16,384) is larger, so it measures misses. */
export const CACHE_SIZE = 10_000;
/** Index slots (a power of two, over three times the entries, so index collisions are rare). */
const INDEX_MASK = (1 << 15) - 1;

/**
 * A small-integer key for a token: a hash of the last characters of its signature segment.
 * Hashing the whole 320-character token text (what a Map keyed by it does) cost a fifth of
 * the HMAC per distinct token. The key only picks the slot: a hit still needs the exact token
 * text (see get()).
 */
export function slotKey(token: string): number {
  const end = token.length - 1;
  let h = 0;
  for (let i = end - 6; i < end; i++) h = (Math.imul(h, 31) + token.charCodeAt(i)) | 0;
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/**
 * Verified tokens, so a client repeating its access token (every request for minutes) skips
 * the HMAC. fast-jwt's own cache keys entries by a SHA-256 of the token, which costs as much
 * as the HMAC it saves on a miss (measured: 13 µs vs 5.5 µs per distinct token). An entry is
 * found by {@link slotKey} and only returned when its token text is exactly the one asked
 * for, so two tokens sharing a key can never see each other's claims. A hit is re-checked
 * against exp (+ leeway) and nbf, so the cache never extends a token's life. Safe with
 * rotation too: a retired key verifies until every token it signed has expired.
 *
 * Laid out as a ring of entries in flat arrays with a direct-mapped index over it, not a Map:
 * every distinct token is a miss and an insert, and a 10,000-entry Map churning one entry per
 * request (hash, probe, delete, set, an entry object) was the largest cost after the HMAC
 * (issue 13: ~14% of a distinct-token verify in a profile). Here a miss is two array reads and
 * an insert five array writes, with no allocation. The oldest entry is overwritten first; an
 * entry whose index slot a newer token took is no longer reachable (evicted early; harmless).
 */
export function createVerifiedCache(toleranceMs: number) {
  const tokens: string[] = new Array<string>(CACHE_SIZE).fill('');
  const payloads: (Record<string, unknown> | null)[] = new Array<Record<string, unknown> | null>(CACHE_SIZE).fill(null);
  const keys = new Int32Array(CACHE_SIZE).fill(-1);
  const index = new Int32Array(INDEX_MASK + 1).fill(-1);
  let next = 0;
  const usable = (payload: Record<string, unknown>, now: number) =>
    typeof payload.exp === 'number' &&
    now < payload.exp * 1000 + toleranceMs &&
    (typeof payload.nbf !== 'number' || payload.nbf * 1000 - toleranceMs <= now);
  const drop = (at: number) => {
    const key = keys[at]!;
    if (key !== -1 && index[key & INDEX_MASK] === at) index[key & INDEX_MASK] = -1;
    keys[at] = -1;
    tokens[at] = '';
    payloads[at] = null;
  };
  return {
    get(token: string): Record<string, unknown> | undefined {
      const key = slotKey(token);
      const at = index[key & INDEX_MASK]!;
      if (at === -1 || keys[at] !== key || tokens[at] !== token) return undefined;
      const payload = payloads[at]!;
      if (usable(payload, Date.now())) return payload;
      drop(at);
      return undefined;
    },
    /**
     * Only payloads just verified (exp and nbf included) come here, right after get() missed.
     * They are shared, not copied or frozen (freezing cost a fifth of a miss): claims are
     * typed read-only for every consumer (AuthContext.claims).
     */
    set(token: string, payload: Record<string, unknown>): void {
      const key = slotKey(token);
      const at = next;
      next = at + 1 === CACHE_SIZE ? 0 : at + 1;
      drop(at);
      keys[at] = key;
      tokens[at] = token;
      payloads[at] = payload;
      index[key & INDEX_MASK] = at;
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

type Verify = (token: string) => Decoded;

/**
 * One verifier pair per key, each pinned to its key's algorithm: "none", an algorithm switched
 * in the header (RS256 → HS256 with the public key as secret, RFC 8725 §2.1), and a kid pointing
 * at a key of another algorithm are all refused. exp is required (simplejwt's "zombie tokens"
 * note). Shared secrets (HS*, the default) are verified by {@link createHmacVerifier} with
 * node:crypto directly; asymmetric keys by fast-jwt. Both are synchronous.
 *
 * Without a keystore or JWK_URL (one shared secret, the default) there is no kid lookup at
 * all: exactly the verifier of the single key.
 */
export function createTokenCodec(config: Config, now: () => number = Date.now): TokenCodec {
  const keystore = createKeystore(config.keys, longestTokenLifetime(config));
  const active = keystore.signing;
  // iat comes from the payload (our injectable clock); fast-jwt only fills it in when absent.
  const signer = createSigner({ key: active.sign!, algorithm: active.alg, ...(active.kid ? { kid: active.kid } : {}) });
  // A configured audience or issuer must be present (fast-jwt checks aud/iss only when present).
  const requiredClaims = ['exp', ...(config.audience ? ['aud'] : []), ...(config.issuer ? ['iss'] : [])];
  const common = {
    requiredClaims,
    clockTolerance: config.leeway * 1000,
    ...(config.audience ? { allowedAud: config.audience } : {}),
    ...(config.issuer ? { allowedIss: config.issuer } : {}),
  };
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
  /** A fast-jwt verifier as a Verify: its TokenError becomes simplejwt's reason. */
  const fastJwt =
    (verifier: (token: string) => unknown): Verify =>
    (token) => {
      try {
        const payload = verifier(token);
        if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return INVALID;
        return { ok: true, payload: payload as Record<string, unknown> };
      } catch (error) {
        return { ok: false, reason: reason(error, token) };
      }
    };
  const verifiers = new Map<KeySpec, { strict: Verify; relaxed: Verify }>();
  for (const key of config.keys) {
    if (key.alg === 'HS256' || key.alg === 'HS384' || key.alg === 'HS512') {
      const hmac = {
        alg: key.alg,
        secret: key.verify,
        requiredClaims,
        clockToleranceMs: common.clockTolerance,
        audience: config.audience,
        issuer: config.issuer,
        clock: Date.now,
      };
      verifiers.set(key, {
        strict: createHmacVerifier({ ...hmac, ignoreExpiration: false }),
        relaxed: createHmacVerifier({ ...hmac, ignoreExpiration: true }),
      });
      continue;
    }
    const options = { ...common, key: key.verify, algorithms: [key.alg] };
    verifiers.set(key, {
      strict: fastJwt(createVerifier(options)),
      relaxed: fastJwt(createVerifier({ ...options, ignoreExpiration: true })),
    });
  }
  const remote = config.jwkUrl ? createRemoteVerifier(config) : null;
  const single = verifiers.get(active)!;
  const cache = createVerifiedCache(config.leeway * 1000);

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
    return verifier(token);
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
