/**
 * `doorman/verify`: checks doorman's access tokens in other services, with no database and no
 * Fastify or Kysely at module level. It cannot see revocations (see `isRevoked`).
 *
 * @example
 * import { createVerifier, expressMiddleware } from 'doorman/verify';
 * const verifier = createVerifier({ secret: process.env.DOORMAN_SIGNING_KEY! });
 * app.use(expressMiddleware(verifier));
 *
 * @packageDocumentation
 */
export { createVerifier, type Verifier, type VerifierOptions, type VerifiedAccess } from './verifier.js';
export { fastifyHook, expressMiddleware, type AdapterOptions, type WithAccessToken } from './adapters.js';
export { VerifyError, CHALLENGE, type VerifyMessage } from './errors.js';
export { ASYMMETRIC, type JwksOptions } from './keys.js';
