import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const derive = promisify(pbkdf2);

/** Django's PBKDF2 hashers: `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` (and `pbkdf2_sha1$…`). */
const DIGESTS = {
  pbkdf2_sha256: { digest: 'sha256', length: 32 },
  pbkdf2_sha1: { digest: 'sha1', length: 20 },
} as const;

/**
 * More than any Django release has used (Django 5.2: 1,000,000) by a wide margin; a hash
 * asking for more is refused rather than left to stall a hashing slot.
 */
const MAX_ITERATIONS = 20_000_000;

export interface Pbkdf2Hash {
  algorithm: keyof typeof DIGESTS;
  iterations: number;
  salt: string;
  hash: Buffer;
}

export function parsePbkdf2(encoded: string): Pbkdf2Hash | null {
  const parts = encoded.split('$');
  if (parts.length !== 4) return null;
  const [algorithm, iterations, salt, b64] = parts as [string, string, string, string];
  if (algorithm !== 'pbkdf2_sha256' && algorithm !== 'pbkdf2_sha1') return null;
  if (!/^[1-9]\d{0,8}$/.test(iterations) || Number(iterations) > MAX_ITERATIONS) return null;
  if (salt.length === 0 || !/^[A-Za-z0-9+/]+=*$/.test(b64)) return null;
  const hash = Buffer.from(b64, 'base64');
  if (hash.length !== DIGESTS[algorithm].length) return null;
  return { algorithm, iterations: Number(iterations), salt, hash };
}

/**
 * Django's PBKDF2PasswordHasher.verify: PBKDF2-HMAC (RFC 8018 §5.2) of the UTF-8 password with
 * the salt's UTF-8 bytes, the digest's own length, compared in constant time. node:crypto's
 * async pbkdf2 runs on libuv's pool, never on the event loop.
 */
export async function verifyPbkdf2(parsed: Pbkdf2Hash, password: string): Promise<boolean> {
  const { digest, length } = DIGESTS[parsed.algorithm];
  const derived = await derive(password, parsed.salt, parsed.iterations, length, digest);
  return timingSafeEqual(derived, parsed.hash);
}
