import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** The path of a request URL: the query string can carry secrets (`?token=`), so it is never logged. */
export function loggedPath(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

const line = (request: FastifyRequest, reply: FastifyReply) => ({
  method: request.method,
  url: loggedPath(request.url),
  status: reply.statusCode,
  ms: Math.round(reply.elapsedTime * 100) / 100,
});

/**
 * Fastify's request log lines, the doorman way: one access line per request (nginx's, in JSON:
 * method, path, status, ms) instead of Fastify's two ("incoming request" and "request
 * completed", each through the whole req/res serializers). Nothing from headers, body or query
 * string is written, so no credential can reach it (test/http/logging.test.ts sends them all and
 * reads the log). Error lines keep the error and drop the request serializer for the same reason.
 */
export class AccessLog extends LogController {
  constructor(private readonly enabled: boolean) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ ...line(request, reply), err: error }, 'request errored');
    else if (this.enabled) request.log.info(line(request, reply), 'request');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) reply.log.error({ ...line(request, reply), err: error }, error?.message);
    else reply.log.info({ ...line(request, reply), err: error }, error?.message);
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.info(`Route ${request.method}:${loggedPath(request.url)} not found`);
  }

  override writeHeadError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    reply.log.warn({ ...line(request, reply), err: error }, error?.message);
  }
}
