import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Doorman } from '../../core.js';

const tags = ['keys'];

const JwksResponse = Type.Object(
  { keys: Type.Array(Type.Record(Type.String(), Type.String())) },
  { description: 'RFC 7517 JWK Set' },
);
const DiscoveryResponse = Type.Object(
  {
    issuer: Type.String(),
    jwks_uri: Type.String(),
    id_token_signing_alg_values_supported: Type.Optional(Type.Array(Type.String())),
  },
  { description: 'OpenID Connect Discovery 1.0 (issuer and jwks_uri only)' },
);

/** This server's public origin, from the settings only: PUBLIC_URL, else http://HOST:PORT. */
function publicOrigin(doorman: Doorman): string {
  const { publicUrl, host, port } = doorman.config;
  return publicUrl ? publicUrl.replace(/\/$/, '') : `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The issuer: ISSUER when it is a URL (OpenID Connect Discovery 1.0 §3), else the public origin.
 * Never the request's Host or X-Forwarded-Host: the document is served Cache-Control public,
 * so an answer built from a forged Host would poison shared caches (issue 14).
 */
function issuerOf(doorman: Doorman): string {
  const configured = doorman.config.issuer;
  if (configured && /^https?:\/\//.test(configured)) return configured.replace(/\/$/, '');
  return publicOrigin(doorman);
}

/**
 * `/.well-known/jwks.json` (RFC 7517 §5) and a minimal `/.well-known/openid-configuration`
 * (issuer + jwks_uri) so that jose's createRemoteJWKSet, simplejwt's JWK_URL and API gateways
 * can verify doorman's tokens. Public keys only; a shared-secret doorman publishes `{"keys": []}`.
 */
export const wellKnownRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman; jwksPath: string }> = async (
  app,
  { doorman, jwksPath },
) => {
  const maxAge = doorman.config.jwksMaxAge;

  app.get(
    '/.well-known/jwks.json',
    { schema: { tags, summary: 'Public signing keys (JWKS)', response: { 200: JwksResponse } } },
    async (_request, reply) => {
      // Caches may keep this for max-age: a new key must be published (as `next`) at least that
      // long before it signs, which is what `doorman keys generate` then `rotate` gives.
      reply.header('Cache-Control', `public, max-age=${maxAge}`);
      reply.type('application/json');
      return doorman.keys.jwks() as { keys: Array<Record<string, string>> };
    },
  );

  app.get(
    '/.well-known/openid-configuration',
    { schema: { tags, summary: 'Issuer metadata', response: { 200: DiscoveryResponse } } },
    async (_request, reply) => {
      const issuer = issuerOf(doorman);
      reply.header('Cache-Control', `public, max-age=${maxAge}`);
      const algs = [...new Set(doorman.keys.jwks().keys.map((k) => k.alg as string))];
      return {
        issuer,
        jwks_uri: `${doorman.config.publicUrl ? publicOrigin(doorman) : issuer}${jwksPath}`,
        ...(algs.length ? { id_token_signing_alg_values_supported: algs } : {}),
      };
    },
  );
};
