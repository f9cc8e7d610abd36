import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { HS_MIN_BYTES, type JwtAlgorithm } from './algorithms.js';

/**
 * Key material as fast-jwt takes it: a Buffer secret for HS*, PEM text otherwise. Keys arrive
 * as PEM or as a JWK (RFC 7517), from a setting, a file or the keystore; every path goes
 * through {@link importKey}, so the checks below are made once for all of them.
 */
export type KeyBytes = string | Buffer;

export function isSymmetric(alg: JwtAlgorithm): boolean {
  return alg.startsWith('HS');
}

/** The asymmetric key type (and curve) each algorithm needs (RFC 7518 §3.3-3.5, RFC 8037). */
export function expectedKey(alg: JwtAlgorithm): { type: string[]; curve?: string } {
  if (alg.startsWith('RS')) return { type: ['rsa'] };
  if (alg.startsWith('PS')) return { type: ['rsa', 'rsa-pss'] };
  if (alg === 'ES256') return { type: ['ec'], curve: 'prime256v1' };
  if (alg === 'ES384') return { type: ['ec'], curve: 'secp384r1' };
  if (alg === 'ES512') return { type: ['ec'], curve: 'secp521r1' };
  return { type: ['ed25519'] };
}

/** A key that cannot be used: the message says why, for a ConfigError or a CLI line. */
export class KeyProblem extends Error {
  override name = 'KeyProblem';
}

export interface ImportedKey {
  /** What fast-jwt signs or verifies with. */
  key: KeyBytes;
  /** The public JWK (asymmetric keys only): what JWKS publishes and the kid is derived from. */
  publicJwk: JsonWebKey | null;
}

function parseJwk(text: string): JsonWebKey | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    const jwk = JSON.parse(trimmed) as unknown;
    if (jwk && typeof jwk === 'object' && !Array.isArray(jwk)) return jwk as JsonWebKey;
  } catch {
    /* reported below */
  }
  throw new KeyProblem('looks like a JWK but is not valid JSON');
}

function importSecret(alg: JwtAlgorithm, text: string | JsonWebKey): ImportedKey {
  let bytes: Buffer;
  if (typeof text === 'string') {
    if (text.includes('-----BEGIN')) throw new KeyProblem(`${alg} takes a shared secret, not a PEM key`);
    bytes = Buffer.from(text, 'utf8');
  } else {
    if (text.kty !== 'oct' || typeof text.k !== 'string')
      throw new KeyProblem(`${alg} takes a shared secret (a JWK of kty "oct"), got kty "${text.kty}"`);
    bytes = Buffer.from(text.k, 'base64url');
  }
  const min = HS_MIN_BYTES[alg]!;
  if (bytes.length < min)
    throw new KeyProblem(`${alg} needs a secret of at least ${min} bytes (RFC 7518 §3.2); got ${bytes.length}`);
  if (new Set(bytes).size < 8) throw new KeyProblem('the secret is too repetitive to be random');
  // A text secret stays text so tokens keep verifying across this change (the same bytes either way).
  return { key: typeof text === 'string' ? text : bytes, publicJwk: null };
}

function checkAsymmetric(alg: JwtAlgorithm, object: KeyObject): void {
  const want = expectedKey(alg);
  const type = object.asymmetricKeyType ?? 'secret';
  if (!want.type.includes(type)) throw new KeyProblem(`${alg} needs a ${want.type[0]} key, got ${type}`);
  const details = object.asymmetricKeyDetails;
  if (want.curve && details?.namedCurve !== want.curve)
    throw new KeyProblem(`${alg} needs curve ${want.curve}, got ${details?.namedCurve}`);
  // RFC 7518 §3.3: 2048 bits or larger.
  if (want.type[0] === 'rsa' && (details?.modulusLength ?? 0) < 2048)
    throw new KeyProblem(`${alg} needs an RSA key of at least 2048 bits`);
}

/**
 * Checks that `material` (PEM text, JWK JSON text, or a parsed JWK) is a usable key for `alg`
 * in `role` and converts it to what fast-jwt takes. A JWK's own `alg`, when present, must be
 * `alg`: a key is pinned to one algorithm (RFC 7517 §4.4), which is what defeats alg confusion.
 *
 * @example
 * const { key, publicJwk } = importKey('ES256', pem, 'signing');
 */
export function importKey(
  alg: JwtAlgorithm,
  material: string | JsonWebKey,
  role: 'signing' | 'verifying',
): ImportedKey {
  const jwk = typeof material === 'string' ? parseJwk(material) : material;
  if (jwk?.alg !== undefined && jwk.alg !== alg) throw new KeyProblem(`the JWK is for ${String(jwk.alg)}, not ${alg}`);
  if (isSymmetric(alg)) return importSecret(alg, jwk ?? (material as string));
  if (jwk?.kty === 'oct') throw new KeyProblem(`${alg} needs an asymmetric key, not a shared secret`);
  let object: KeyObject;
  try {
    if (role === 'signing')
      object = jwk ? createPrivateKey({ key: jwk as never, format: 'jwk' }) : createPrivateKey(material as string);
    else object = jwk ? createPublicKey({ key: jwk as never, format: 'jwk' }) : createPublicKey(material as string);
  } catch {
    throw new KeyProblem(`${alg} needs a ${role === 'signing' ? 'private' : 'public'} key as PEM or JWK`);
  }
  checkAsymmetric(alg, object);
  const publicKey = role === 'signing' ? createPublicKey(object) : object;
  const key =
    role === 'signing'
      ? object.export({ type: 'pkcs8', format: 'pem' }).toString()
      : publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { key, publicJwk: publicKey.export({ format: 'jwk' }) };
}

/** The members RFC 7638 §3.2 hashes, per key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Record<string, string[]> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
};

/** The RFC 7638 JWK thumbprint (SHA-256, base64url): a stable kid for a public key. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members = THUMBPRINT_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new KeyProblem(`no thumbprint for kty "${jwk.kty}"`);
  const canonical = JSON.stringify(Object.fromEntries(members.map((m) => [m, (jwk as Record<string, unknown>)[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}
