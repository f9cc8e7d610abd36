import { createHmac } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { SECRET } from '../helpers.js';

/** Test-only token forgery: what an attacker (or a buggy client) could send. */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function parts(token: string): [string, string, string] {
  const [header, payload, signature] = token.split('.');
  return [header!, payload!, signature!];
}

/**
 * A token signed with fast-jwt (default: the test SECRET, HS256) over the claims given; fast-jwt
 * keeps the payload's iat, or adds one (Date.now()) when there is none.
 */
export function sign(
  payload: Record<string, unknown>,
  options: { key?: string; algorithm?: 'HS256' | 'HS384' | 'HS512' | 'RS256' } = {},
): string {
  const signer = createSigner({ key: options.key ?? SECRET, algorithm: options.algorithm ?? 'HS256' });
  return signer(payload);
}

/** An HMAC-SHA256 JWT built by hand, so any header and any key (a PEM public key, say) can be used. */
export function hmac(header: Record<string, unknown>, payload: Record<string, unknown>, key: string = SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

/** The same payload and signature under another header (e.g. alg switched). */
export function withHeader(token: string, header: Record<string, unknown>): string {
  const [, payload, signature] = parts(token);
  return `${b64(header)}.${payload}.${signature}`;
}

/** The same header and signature over a changed payload. */
export function withPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = parts(token);
  return `${header}.${b64(payload)}.${signature}`;
}

/** An unsecured JWT (RFC 7519 §6): alg "none", empty signature. */
export function unsecured(payload: Record<string, unknown>): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}

/** The header of a JWT, unverified. */
export function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(parts(token)[0], 'base64url').toString('utf8'));
}
