import { ERROR_CODES, type AuthErrorCode } from './codes.js';

/** Field errors in DRF's shape: `{ "<field>": ["message", ...], "non_field_errors": [...] }`. */
export type FieldErrors = Record<string, string[]>;

/** simplejwt's per-token-class messages, carried by `token_not_valid` on protected routes. */
export interface TokenMessage {
  token_class: string;
  token_type: string;
  message: string;
}

export interface AuthErrorOptions {
  detail?: string;
  fields?: FieldErrors;
  messages?: TokenMessage[];
  cause?: unknown;
  status?: number;
  /** Seconds the client should wait (429, 503): sent as Retry-After (RFC 9110 §10.2.3). */
  retryAfter?: number;
}

/**
 * The one error type of doorman. Domain code throws it; the HTTP edge maps it to a status
 * and a DRF-shaped body. `expose` is false only for `error` (500): its detail is replaced
 * by the generic message at the edge and the cause goes to the log, never to the client.
 */
export class AuthError extends Error {
  readonly code: AuthErrorCode;
  readonly status: number;
  readonly fields: FieldErrors | undefined;
  readonly messages: TokenMessage[] | undefined;
  readonly expose: boolean;
  readonly retryAfter: number | undefined;

  constructor(code: AuthErrorCode, options: AuthErrorOptions = {}) {
    const entry = ERROR_CODES[code];
    super(options.detail ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuthError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.fields = options.fields;
    this.messages = options.messages;
    this.expose = code !== 'error';
    this.retryAfter = options.retryAfter;
  }

  /** The body DRF would answer with: field errors as they are, anything else as `{detail, code}`. */
  toBody(): Record<string, unknown> {
    if (this.fields) return this.fields;
    const body: Record<string, unknown> = {
      detail: this.expose ? this.message : ERROR_CODES.error.message,
      code: this.code,
    };
    if (this.messages) body.messages = this.messages;
    return body;
  }
}

/** A 400 with field errors, e.g. `invalidFields({ email: ['This field is required.'] })`. */
export function invalidFields(fields: FieldErrors): AuthError {
  return new AuthError('invalid', { fields });
}

/** A 400 with one error not tied to a field (`non_field_errors`). */
export function nonFieldError(message: string): AuthError {
  return invalidFields({ non_field_errors: [message] });
}
