import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AuthError } from '../errors/auth-error.js';

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (too large a head, bad
 * framing, too slow), then closes the connection.
 *
 * Why: Fastify's default answer carries a JSON body and keeps the connection open. For a HEAD
 * request (e.g. with a 40 KB query string: 431) the client knows that a response to HEAD has
 * no body (RFC 9110 §9.3.2), so it reads the body bytes as the start of the next response and
 * fails (HPE_INVALID_CONSTANT). Here a HEAD gets no body, and every such answer says
 * `Connection: close` and closes: after a parse error the byte stream cannot be trusted.
 */
export function answerClientError(error: Error & { code?: string; rawPacket?: Buffer }, socket: Socket): void {
  if (socket.destroyed) return;
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const answer =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new AuthError('headers_too_large')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT'
        ? new AuthError('request_timeout')
        : new AuthError('parse_error', { detail: 'Malformed request.' });
  const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  const body = head ? '' : JSON.stringify(answer.toBody());
  socket.end(
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
