import type { FastifyError, FastifyInstance } from 'fastify';
import { AuthError } from '../errors/auth-error.js';
import { StorageUnavailableError } from '../storage/ports.js';
import { sendAuthError } from './send-error.js';
import { warnEvery } from '../throttle/warn-every.js';
import { fieldErrorsFromAjv } from './validation.js';

function unsupported(contentType: unknown): AuthError {
  const type = String(contentType ?? '')
    .split(';')[0]!
    .trim()
    .slice(0, 100);
  return new AuthError('unsupported_media_type', { detail: `Unsupported media type "${type}" in request.` });
}

function fromFastify(error: FastifyError, body: unknown, contentType: unknown): AuthError | null {
  if (error.validation) {
    return new AuthError('invalid', { fields: fieldErrorsFromAjv(error.validation as never, body) });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AuthError('parse_error', { detail: 'JSON parse error - the request body is not valid JSON.' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AuthError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return error.statusCode === 415
        ? unsupported(contentType)
        : new AuthError('parse_error', { detail: 'Malformed request.' });
    default:
      break;
  }
  if (error instanceof SyntaxError || (error as { statusCode?: number }).statusCode === 400) {
    return new AuthError('parse_error', { detail: 'Malformed request.' });
  }
  if ((error as { statusCode?: number }).statusCode === 413) return new AuthError('payload_too_large');
  if ((error as { statusCode?: number }).statusCode === 415) return unsupported(contentType);
  return null;
}

/**
 * The edge where errors become HTTP: AuthError → its status and DRF body; Fastify's own
 * errors (validation, bad JSON, size, media type) → the same shapes; anything else → a
 * logged 500 that shows nothing of the internals.
 */
export function installErrorHandling(app: FastifyInstance, options: { notFound: boolean }): void {
  // A full hash queue is expected under a flood: one warning a minute says so, where one
  // stack trace per refused request wrote 30 MB in 8 s (issue 14).
  const busy = warnEvery(60_000, app.log);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof StorageUnavailableError) {
      // The database is away or locked: nothing was changed, the client may retry (issue 13).
      request.log.warn({ reason: error.reason }, 'database unavailable');
      return sendAuthError(
        reply.header('Retry-After', '1'),
        new AuthError('service_unavailable', { detail: error.reason }),
      );
    }
    const known =
      error instanceof AuthError ? error : fromFastify(error, request.body, request.headers['content-type']);
    if (known?.code === 'server_busy')
      busy(
        { url: request.url },
        'password hash queue full: answering 503 (refused requests in this interval counted as suppressed)',
      );
    else if (!known || known.status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
    }
    return sendAuthError(reply, known ?? new AuthError('error', { cause: error }));
  });
  if (options.notFound)
    app.setNotFoundHandler((_request, reply) => reply.status(404).send(new AuthError('not_found').toBody()));
}
