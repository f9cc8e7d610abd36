import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { PendingLogin } from './client.js';

/** How long a person has between doorman's 302 and the provider sending them back. */
export const PENDING_LIFETIME_SECONDS = 600;

/**
 * The redirect flow's state, nonce, PKCE verifier and redirect_uri, sealed into a cookie
 * instead of a server-side table: nothing to store or clean up, and it works across instances.
 * AES-256-GCM (key derived by HKDF, RFC 5869, from CSRF_SECRET or the signing key) keeps the
 * verifier unreadable and the whole value untamperable; the sealed value names its provider
 * and expiry, and the cookie is HttpOnly, Secure, SameSite=Lax (the provider's redirect back
 * is a cross-site top-level GET, which Lax lets through) and sent only to the callback path.
 * It is cleared at the callback, and the state inside must match the `state` the provider
 * returns, so a callback URL made by someone else (login CSRF) fails in any other browser.
 */
export interface PendingSeal {
  seal(provider: string, pending: PendingLogin): string;
  /** The pending login, or null when the value is forged, for another provider, or expired. */
  open(provider: string, sealed: string): PendingLogin | null;
}

export function createPendingSeal(secret: string, now: () => number): PendingSeal {
  const key = Buffer.from(hkdfSync('sha256', secret, 'doorman', 'social login state v1', 32));
  return {
    seal(provider, pending) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = JSON.stringify({ p: provider, e: Math.floor(now() / 1000) + PENDING_LIFETIME_SECONDS, ...pending });
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(provider, sealed) {
      try {
        const raw = Buffer.from(sealed, 'base64url');
        if (raw.length < 29) return null;
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        const value = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
        if (value.p !== provider || typeof value.e !== 'number' || value.e <= now() / 1000) return null;
        return {
          state: value.state,
          nonce: value.nonce,
          codeVerifier: value.codeVerifier,
          redirectUri: value.redirectUri,
        };
      } catch {
        return null;
      }
    },
  };
}
