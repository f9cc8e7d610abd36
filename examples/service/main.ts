import { createVerifier } from '../../src/verify/index.js';
import { createService } from './service.js';

/**
 * `npm run example:service`: trusts a doorman on DOORMAN_SIGNING_KEY (shared HS secret) or
 * DOORMAN_JWKS_URL (its /.well-known/jwks.json); listens on 127.0.0.1:8002 (SERVICE_PORT).
 */
const secret = process.env.DOORMAN_SIGNING_KEY;
const jwksUrl = process.env.DOORMAN_JWKS_URL;
if (!secret && !jwksUrl) {
  process.stderr.write('service: set DOORMAN_SIGNING_KEY (the secret doorman signs with) or DOORMAN_JWKS_URL\n');
  process.exit(78);
}
const verifier = createVerifier(secret ? { secret } : { jwksUrl: jwksUrl! });
const port = Number(process.env.SERVICE_PORT ?? 8002);
createService(verifier).listen(port, '127.0.0.1', () => process.stdout.write(`service listening on http://127.0.0.1:${port}\n`));
