import { CHALLENGE } from '../tokens/rules.js';

/** simplejwt's per-token-class message, as the server sends it. */
export interface VerifyMessage {
  token_class: 'AccessToken';
  token_type: 'access';
  message: string;
}

const DETAIL = {
  token_not_valid: 'Given token not valid for any token type',
  not_authenticated: 'Authentication credentials were not provided.',
  bad_authorization_header: 'Authorization header must contain two space-delimited values',
} as const;

export { CHALLENGE };

/**
 * A refused request, with the exact 401 body doorman's server answers, so clients see one
 * behaviour whichever service they talk to.
 *
 * @example
 * try { await verifier.verify(token) } catch (e) { if (e instanceof VerifyError) res.writeHead(e.status, e.headers).end(JSON.stringify(e.body)) }
 */
export class VerifyError extends Error {
  readonly status = 401;
  readonly code: keyof typeof DETAIL;
  readonly body: { detail: string; code: string; messages?: VerifyMessage[] };
  readonly headers = { 'WWW-Authenticate': CHALLENGE, 'Content-Type': 'application/json; charset=utf-8' } as const;

  constructor(code: keyof typeof DETAIL, options: { message?: string; detail?: string; cause?: unknown } = {}) {
    super(
      options.message ?? options.detail ?? DETAIL[code],
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'VerifyError';
    this.code = code;
    const detail = options.detail ?? DETAIL[code];
    this.body = options.message
      ? { detail, code, messages: [{ token_class: 'AccessToken', token_type: 'access', message: options.message }] }
      : { detail, code };
  }
}

/** A token_not_valid failure with simplejwt's message ("Token is expired", "Token is invalid", …). */
export const invalidToken = (message: string, cause?: unknown) =>
  new VerifyError('token_not_valid', { message, cause });
