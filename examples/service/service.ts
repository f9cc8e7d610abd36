import { createServer, type Server } from 'node:http';
import { expressMiddleware, type Verifier, type WithAccessToken } from '../../src/verify/index.js';

/**
 * A tiny service that trusts doorman's access tokens and has no database: node:http plus the
 * verifier's Connect-style middleware. GET /whoami answers who the token says you are;
 * GET /health needs no token.
 */
export function createService(verifier: Verifier): Server {
  const authenticate = expressMiddleware(verifier);
  return createServer((req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return json(200, { status: 'ok' });
    if (path !== '/whoami' && path !== '/whoami/') return json(404, { detail: 'Not found.', code: 'not_found' });
    authenticate(req, res, (error) => {
      if (error) return json(500, { detail: 'A server error occurred.', code: 'error' });
      const { userId, claims } = (req as WithAccessToken<typeof req>).accessToken!;
      json(200, { user_id: userId, email: claims.email ?? null, expires: claims.exp });
    });
  });
}
