/**
 * The closed set of error codes doorman answers with. Clients switch on `code`, never on
 * the message. Codes and default messages follow simplejwt / DRF so existing front ends
 * keep working (see ../../docs/errors.md, checked against this table by a test).
 */
export const ERROR_CODES = {
  token_not_valid: { status: 401, message: 'Given token not valid for any token type' },
  not_authenticated: { status: 401, message: 'Authentication credentials were not provided.' },
  authentication_failed: { status: 401, message: 'Incorrect authentication credentials.' },
  bad_authorization_header: { status: 401, message: 'Authorization header must contain two space-delimited values' },
  no_active_account: { status: 401, message: 'No active account found with the given credentials' },
  user_not_found: { status: 401, message: 'User not found' },
  user_inactive: { status: 401, message: 'User is inactive' },
  email_not_verified: { status: 401, message: 'E-mail is not verified.' },
  permission_denied: { status: 403, message: 'You do not have permission to perform this action.' },
  csrf_failed: { status: 403, message: 'CSRF Failed: CSRF token missing or incorrect.' },
  invalid: { status: 400, message: 'Invalid input.' },
  parse_error: { status: 400, message: 'Malformed request.' },
  social_login_failed: { status: 400, message: 'The sign-in with the provider failed; start again.' },
  social_provider_unknown: { status: 404, message: 'No such sign-in provider.' },
  social_email_unverified: {
    status: 400,
    message:
      'An account with this e-mail exists, and the provider does not say the address is verified: log in and connect this provider from your account.',
  },
  social_email_missing: { status: 400, message: 'The provider did not give an e-mail address.' },
  social_account_taken: { status: 400, message: 'This provider account is connected to another user.' },
  social_last_login: {
    status: 400,
    message: 'This is your last way to sign in: set a password (by password reset) before removing it.',
  },
  not_found: { status: 404, message: 'Not found.' },
  method_not_allowed: { status: 405, message: 'Method not allowed.' },
  not_acceptable: { status: 406, message: 'Could not satisfy the request Accept header.' },
  request_timeout: { status: 408, message: 'The request took too long to arrive.' },
  payload_too_large: { status: 413, message: 'Request body is too large.' },
  unsupported_media_type: { status: 415, message: 'Unsupported media type in request.' },
  headers_too_large: { status: 431, message: 'Request header fields (or the URL) are too large.' },
  throttled: { status: 429, message: 'Request was throttled.' },
  server_busy: { status: 503, message: 'The server is busy; try again shortly.' },
  service_unavailable: { status: 503, message: 'The database is unavailable; try again shortly.' },
  error: { status: 500, message: 'A server error occurred.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type AuthErrorCode = keyof typeof ERROR_CODES;
