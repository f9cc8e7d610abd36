import type { IncomingMessage, ServerResponse } from 'node:http';
import { VerifyError } from './errors.js';
import type { VerifiedAccess, Verifier } from './verifier.js';

/** Where the adapters put the verified token on the request. */
export type WithAccessToken<R> = R & { accessToken?: VerifiedAccess | null };

/** Structural Fastify types, so this module never imports Fastify. */
interface HookRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface HookReply {
  code(status: number): HookReply;
  header(name: string, value: string): HookReply;
  send(body: unknown): HookReply;
}

export interface AdapterOptions {
  /** Refuse requests without credentials (default true). With false, `accessToken` is null for them. */
  required?: boolean;
}

/**
 * A Fastify onRequest hook: sets `request.accessToken`, or answers the server's 401.
 *
 * @example
 * app.addHook('onRequest', fastifyHook(verifier));
 * app.get('/whoami', async (request) => ({ user: (request as WithAccessToken<typeof request>).accessToken!.userId }));
 */
export function fastifyHook(verifier: Verifier, options: AdapterOptions = {}) {
  const required = options.required ?? true;
  return async function verifyAccessToken(request: HookRequest, reply: HookReply): Promise<void> {
    try {
      (request as WithAccessToken<HookRequest>).accessToken = required
        ? await verifier.requireHeaders(request.headers)
        : await verifier.fromHeaders(request.headers);
    } catch (error) {
      if (!(error instanceof VerifyError)) throw error;
      reply.code(error.status).header('WWW-Authenticate', error.headers['WWW-Authenticate']).send(error.body);
      return;
    }
  };
}

/**
 * Express/Connect middleware: sets `req.accessToken` and calls next(), or answers the
 * server's 401 itself. Unexpected errors go to next(error).
 *
 * @example
 * app.use(expressMiddleware(verifier));
 * app.get('/whoami', (req, res) => res.json({ user: req.accessToken.userId }));
 */
export function expressMiddleware(verifier: Verifier, options: AdapterOptions = {}) {
  const required = options.required ?? true;
  return function verifyAccessToken(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    const run = required ? verifier.requireHeaders(req.headers) : verifier.fromHeaders(req.headers);
    run.then(
      (verified) => {
        (req as WithAccessToken<IncomingMessage>).accessToken = verified;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof VerifyError)) return next(error);
        res.writeHead(error.status, error.headers).end(JSON.stringify(error.body));
      },
    );
  };
}
