import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh one-time secret (256 bits, base64url) and the SHA-256 that is stored in its place. */
export function mintSecret(): { secret: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time equality of two hex digests of equal length (a stored and a presented hash). */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** Django's urlsafe_base64_encode(force_bytes(pk)): user 1 → "MQ". */
export function encodeUid(id: number): string {
  return Buffer.from(String(id)).toString('base64url');
}

/** The inverse of encodeUid; null for anything that is not a positive integer id. */
export function decodeUid(uid: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,16}$/.test(uid)) return null;
  const text = Buffer.from(uid, 'base64url').toString('utf8');
  if (!/^[1-9][0-9]{0,14}$/.test(text)) return null;
  return Number(text);
}
