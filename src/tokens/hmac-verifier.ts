import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Decoded } from './rules.js';

export interface HmacVerifierOptions {
  alg: 'HS256' | 'HS384' | 'HS512';
  secret: string | Buffer;
  /** Claims that must be present, in the order they are checked; `exp` first. */
  requiredClaims: readonly string[];
  clockToleranceMs: number;
  audience: string | null;
  issuer: string | null;
  /** Sliding tokens: an expired token still decodes (exp must still be present). */
  ignoreExpiration: boolean;
  /**
   * The clock exp and nbf are checked against, epoch ms: the codec passes the wall clock, the
   * one fast-jwt (asymmetric keys) and the verified-token cache use.
   */
  clock: () => number;
}

// RFC 4648 §3.3: a segment with any character outside the base64url alphabet is refused,
// not stripped (Buffer.from(…, 'base64') would silently skip it).
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The bytes of a base64url segment, or null when it holds a character outside the alphabet:
 * the same answers as testing {@link BASE64URL} and then decoding (what fast-jwt does), in
 * about a third of the time on a 250-character payload (the regex alone was ~6% of a verify,
 * issue 13). Node's decoder skips a character it does not know and reads '+' and '/' as '-'
 * and '_', so: '+' and '/' are looked for; a non-ASCII character makes the UTF-8 length
 * differ from the length; any other stray character is skipped, which leaves fewer bytes than
 * floor(3n/4). A length of 4k+1 (never one we sign) keeps the regex: one skipped character
 * there does not change the byte count. test/tokens/hmac-verifier.test.ts compares this with
 * the regex on every UTF-16 code unit, so a Node whose decoder behaves otherwise fails there.
 */
export function base64urlBytes(segment: string): Buffer | null {
  const length = segment.length;
  if (length % 4 === 1) return BASE64URL.test(segment) ? Buffer.from(segment, 'base64url') : null;
  if (segment.includes('+') || segment.includes('/') || Buffer.byteLength(segment, 'utf8') !== length) return null;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.length === Math.floor((length * 3) / 4) ? bytes : null;
}
const INVALID: Decoded = { ok: false, reason: 'invalid' };
const EXPIRED: Decoded = { ok: false, reason: 'expired' };
const NO_EXP: Decoded = { ok: false, reason: 'no_exp' };
/** Protected headers already seen on a verified token; a handful at most (one per key). */
const KNOWN_HEADERS_MAX = 16;

/**
 * The HS256/384/512 verifier on the request path: node:crypto's HMAC over the signing input
 * with the key imported once, a constant-time compare, one JSON.parse of the payload, and the
 * claim checks inline. It accepts and refuses exactly the tokens fast-jwt's createVerifier does
 * with the options the codec used to pass (test/tokens/hmac-verifier.test.ts compares the two on
 * every edge and on random mutations), and gives the same reason (expired / no_exp / invalid).
 * It exists because fast-jwt's general path (three regex passes, header JSON per token, claim
 * validators allocating arrays) cost ~1.8x the node:crypto floor per distinct token (issue 13).
 *
 * Checks, in fast-jwt's order where the order decides the reason: three base64url segments;
 * header a JSON object whose alg is the key's (RFC 8725 §2.1: alg pinned to the key, never
 * taken from the token) and with no `crit` (no extension is understood, RFC 7515 §4.1.11); the
 * signature; payload a JSON object; required claims; nbf and exp (numbers, with leeway); aud
 * (string or array of strings, one equal) and iss (string, equal) when configured.
 * Never throws: a failure is a Decoded reason, which is also cheaper than an exception.
 */
export function createHmacVerifier(options: HmacVerifierOptions): (token: string) => Decoded {
  const key: KeyObject = createSecretKey(
    typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : options.secret,
  );
  const hash = `sha${options.alg.slice(2)}`;
  const digestBytes = Number(options.alg.slice(2)) / 8;
  const { alg, requiredClaims, clockToleranceMs: tolerance, audience, issuer, ignoreExpiration, clock } = options;
  // The exact header text (with its dot) of tokens that verified: the same few bytes on every
  // token we sign, so their checks (regex, base64, JSON.parse, alg, crit) are not redone.
  const knownHeaders: string[] = [];
  const isKnownHeader = (token: string, first: number): boolean => {
    for (const known of knownHeaders) if (known.length === first + 1 && token.startsWith(known)) return true;
    return false;
  };

  const headerOk = (segment: string): boolean => {
    const bytes = base64urlBytes(segment);
    if (bytes === null) return false;
    let header: unknown;
    try {
      header = JSON.parse(bytes.toString('utf8'));
    } catch {
      return false;
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) return false;
    const h = header as { alg?: unknown; crit?: unknown };
    // Any truthy crit is refused: doorman understands no extension header.
    return h.alg === alg && !h.crit;
  };

  const signatureOk = (input: string, signature: string): boolean => {
    const given = base64urlBytes(signature);
    if (given === null || given.length !== digestBytes) return false;
    return timingSafeEqual(createHmac(hash, key).update(input).digest(), given);
  };

  /** A NumericDate claim (RFC 7519 §2): a number, never an array or a string. */
  const dateOf = (value: unknown): number | null => (typeof value === 'number' ? value : null);

  return (token: string): Decoded => {
    const first = token.indexOf('.');
    const last = token.lastIndexOf('.');
    if (first === -1 || first >= last) return INVALID;
    const known = isKnownHeader(token, first);
    if (!known && !headerOk(token.slice(0, first))) return INVALID;
    const payloadBytes = base64urlBytes(token.slice(first + 1, last));
    if (payloadBytes === null) return INVALID;
    if (!signatureOk(token.slice(0, last), token.slice(last + 1))) return INVALID;
    if (!known && knownHeaders.length < KNOWN_HEADERS_MAX) knownHeaders.push(token.slice(0, first + 1));

    let parsed: unknown;
    try {
      parsed = JSON.parse(payloadBytes.toString('utf8'));
    } catch {
      return INVALID;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return INVALID;
    const payload = parsed as Record<string, unknown>;

    for (const claim of requiredClaims) {
      if (!(claim in payload)) return claim === 'exp' ? NO_EXP : INVALID;
    }
    const now = clock();
    if ('nbf' in payload) {
      const nbf = dateOf(payload.nbf);
      if (nbf === null || now < nbf * 1000 - tolerance) return INVALID;
    }
    if (!ignoreExpiration && 'exp' in payload) {
      const exp = dateOf(payload.exp);
      if (exp === null) return INVALID;
      if (now > exp * 1000 + tolerance) return EXPIRED;
    }
    if (audience !== null && 'aud' in payload) {
      const aud = payload.aud;
      const values = Array.isArray(aud) ? (aud as unknown[]) : [aud];
      if (!values.every((v) => typeof v === 'string') || !values.includes(audience)) return INVALID;
    }
    if (issuer !== null && 'iss' in payload) {
      if (payload.iss !== issuer) return INVALID;
    }
    return { ok: true, payload };
  };
}
