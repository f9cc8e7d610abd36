import { createHmac } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { FastifyInstance } from 'fastify';
import type { JwtAlgorithm } from '../../src/keys/algorithms.js';
import { generatePrivateKey } from '../../src/keys/generate.js';

/** A PEM private key for an asymmetric algorithm. */
export function pemFor(alg: JwtAlgorithm): string {
  return generatePrivateKey(alg).export({ type: 'pkcs8', format: 'pem' }).toString();
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with any header, HMAC-signed with `secret` (for alg-confusion attempts). */
export function hmacToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string | Buffer,
  hash = 'sha256',
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

export function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
}

export async function publishedJwks(app: FastifyInstance): Promise<JSONWebKeySet> {
  const response = await app.inject({ url: '/.well-known/jwks.json' });
  if (response.statusCode !== 200) throw new Error(`jwks: ${response.statusCode}`);
  return response.json();
}

/** jose, independently of doorman's fast-jwt: verifies `token` with the keys doorman publishes. */
export async function joseVerify(app: FastifyInstance, token: string, alg: string) {
  return jwtVerify(token, createLocalJWKSet(await publishedJwks(app)), { algorithms: [alg] });
}
