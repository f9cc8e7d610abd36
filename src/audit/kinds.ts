/** The security events doorman records. Each holds who, when, from where; never a secret. */
export const AUDIT_KINDS = [
  'login',
  'login_failed',
  'token_obtain',
  'token_obtain_failed',
  'logout',
  'join',
  /** A blacklisted refresh token presented again: reuse after rotation, or after logout or revocation. */
  'refresh_reuse',
  'password_change',
  'password_reset_request',
  'password_reset',
  'password_reset_failed',
  'email_verified',
  'email_verification_failed',
  'email_verification_resend',
  /**
   * An address's requests refused from now on (its login limit: credential stuffing; a
   * per-address guard; its concurrency share): once per window, at the refusal that reached it.
   */
  'throttled',
  /** An account's password checks refused from now on, from one address or from unknown ones: once per window. */
  'lockout',
  'admin_action',
] as const;

export type AuditKind = (typeof AUDIT_KINDS)[number];

export function isAuditKind(value: string): value is AuditKind {
  return (AUDIT_KINDS as readonly string[]).includes(value);
}
