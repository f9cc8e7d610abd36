import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Doorman } from '../../core.js';
import { pickLanguage } from '../../mail/language.js';
import { auditSubject } from '../audit.js';
import { DetailResponse, EmailBody, PasswordResetConfirmBody, replies, VerifyEmailBody } from '../schemas.js';

const tags = ['account'];

const reset = {
  config: { audit: { ok: 'password_reset_request', email: true } as const },
  schema: {
    tags,
    summary: 'Mail a password-reset link (dj-rest-auth PasswordResetView); the same answer for unknown e-mails',
    body: EmailBody,
    response: replies({ 200: DetailResponse }, 'body', 'throttled'),
  },
};
const confirm = {
  config: { audit: { ok: 'password_reset', failed: 'password_reset_failed' } as const },
  schema: {
    tags,
    summary: "Set a new password with the link's uid and token; every session ends",
    body: PasswordResetConfirmBody,
    response: replies({ 200: DetailResponse }, 'body', 'throttled', 'hashing'),
  },
};
const verifyEmail = {
  config: { audit: { ok: 'email_verified', failed: 'email_verification_failed' } as const },
  schema: {
    tags,
    summary: 'Confirm an e-mail address with the key from its mail (dj-rest-auth VerifyEmailView)',
    body: VerifyEmailBody,
    response: replies({ 200: DetailResponse }, 'body', 'lookup', 'throttled'),
  },
};
const resend = {
  config: { audit: { ok: 'email_verification_resend', email: true } as const },
  schema: {
    tags,
    summary: 'Mail a new verification link; the same answer for unknown e-mails',
    body: EmailBody,
    response: replies({ 200: DetailResponse }, 'body', 'throttled'),
  },
};

/** dj-rest-auth's password reset and registration (allauth) e-mail routes, under /account. */
export const recoveryRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman }> = async (app, { doorman }) => {
  const { recovery, throttle, config } = doorman;
  // Per address, each request counted (DRF's AnonRateThrottle): the same for known and unknown e-mails.
  const guards = {
    reset: throttle.perAddress('password_reset', config.throttlePasswordReset),
    confirm: throttle.perAddress('password_reset_confirm', config.throttlePasswordReset),
    verify: throttle.perAddress('verify_email', config.throttleEmailVerification),
    resend: throttle.perAddress('resend_email', config.throttleEmailVerification),
  };
  const language = (request: FastifyRequest) => pickLanguage(request.headers['accept-language']);

  app.post('/password/reset/', reset, async (request) => {
    await guards.reset.attempt(throttle.key(request.ip), async () =>
      recovery.requestPasswordReset(request.body.email, language(request)),
    );
    return { detail: 'Password reset e-mail has been sent.' };
  });

  app.post('/password/reset/confirm/', confirm, async (request) => {
    const user = await guards.confirm.attempt(throttle.key(request.ip), () =>
      recovery.confirmPasswordReset(request.body),
    );
    auditSubject(request, user.id);
    return { detail: 'Password has been reset with the new password.' };
  });

  app.post('/join/verify-email/', verifyEmail, async (request) => {
    const user = await guards.verify.attempt(throttle.key(request.ip), () => recovery.verifyEmail(request.body.key));
    auditSubject(request, user.id);
    return { detail: 'ok' };
  });

  app.post('/join/resend-email/', resend, async (request) => {
    await guards.resend.attempt(throttle.key(request.ip), async () =>
      recovery.resendVerification(request.body.email, language(request)),
    );
    return { detail: 'ok' };
  });
};
