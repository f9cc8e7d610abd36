import { createVerifier } from '../../src/verify/index.js';
import { createService } from './service.js';

/**
 * `npm run example:service`: trusts a doorman by SERVICE_SIGNING_KEY (the HS secret doorman signs
 * with, its DOORMAN_SIGNING_KEY) or SERVICE_JWKS_URL (doorman's /.well-known/jwks.json); listens
 * on 127.0.0.1:SERVICE_PORT (default 8002). Its variables are SERVICE_*, never DOORMAN_*: doorman
 * refuses unknown DOORMAN_* names, so both can run from one shell.
 */
const secret = process.env.SERVICE_SIGNING_KEY;
const jwksUrl = process.env.SERVICE_JWKS_URL;
if (!secret === !jwksUrl) {
  process.stderr.write(
    "service: set one of SERVICE_SIGNING_KEY (the secret doorman signs with) and SERVICE_JWKS_URL (doorman's /.well-known/jwks.json)\n",
  );
  process.exit(78);
}
const port = Number(process.env.SERVICE_PORT ?? 8002);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('service: SERVICE_PORT: expected a whole number from 0 to 65535\n');
  process.exit(78);
}
const verifier = createVerifier(secret ? { secret } : { jwksUrl: jwksUrl! });
createService(verifier).listen(port, '127.0.0.1', () =>
  process.stdout.write(`service listening on http://127.0.0.1:${port}\n`),
);
