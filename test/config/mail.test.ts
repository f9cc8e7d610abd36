import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';

const strong = randomBytes(48).toString('base64url');
const production = (env: Record<string, string>) =>
  loadConfig({ env: { NODE_ENV: 'production', DOORMAN_SIGNING_KEY: strong, ...env } });

function refusal(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('no error');
}

describe('mail settings', () => {
  it('reads the mail URL forms and refuses others by name', () => {
    expect(
      production({
        DOORMAN_MAIL_URL: 'smtps://u:p@mail.example.com:465',
        DOORMAN_PASSWORD_RESET_URL: 'https://app.example.com/r/{uid}/{token}/',
      }).mailUrl,
    ).toBe('smtps://u:p@mail.example.com:465');
    expect(loadConfig({ env: { DOORMAN_MAIL_URL: 'file:///tmp/mail' } }).mailUrl).toBe('file:///tmp/mail');
    const bad = refusal(() => loadConfig({ env: { DOORMAN_MAIL_URL: 'http://mail.example.com' } }));
    expect(bad.message).toBe('DOORMAN_MAIL_URL: expected an smtp:, smtps: or file: URL');
  });

  it('wants {uid} and {token} in the reset link and {key} in the confirm link', () => {
    expect(
      refusal(() => loadConfig({ env: { DOORMAN_PASSWORD_RESET_URL: 'https://app.example.com/reset/{uid}/' } }))
        .message,
    ).toBe('DOORMAN_PASSWORD_RESET_URL: must contain {token}');
    expect(refusal(() => loadConfig({ env: { DOORMAN_EMAIL_CONFIRM_URL: 'javascript:alert({key})' } })).message).toBe(
      'DOORMAN_EMAIL_CONFIRM_URL: expected an http(s) URL',
    );
    expect(loadConfig({ env: { DOORMAN_EMAIL_CONFIRM_URL: 'https://app.example.com/v/{key}' } }).emailConfirmUrl).toBe(
      'https://app.example.com/v/{key}',
    );
  });

  it('in production: mail off without a mail URL; with one, the link templates are required; verification needs mail', () => {
    expect(production({}).mailUrl).toBeNull();
    expect(refusal(() => production({ DOORMAN_MAIL_URL: 'smtp://mail.example.com:587' })).key).toBe(
      'DOORMAN_PASSWORD_RESET_URL',
    );
    expect(refusal(() => production({ DOORMAN_EMAIL_VERIFICATION: 'mandatory' })).key).toBe('DOORMAN_MAIL_URL');
    const withMail = {
      DOORMAN_MAIL_URL: 'smtp://mail.example.com:587',
      DOORMAN_PASSWORD_RESET_URL: 'https://app.example.com/r/{uid}/{token}/',
    };
    expect(refusal(() => production({ ...withMail, DOORMAN_EMAIL_VERIFICATION: 'optional' })).key).toBe(
      'DOORMAN_EMAIL_CONFIRM_URL',
    );
    expect(
      production({
        ...withMail,
        DOORMAN_EMAIL_VERIFICATION: 'mandatory',
        DOORMAN_EMAIL_CONFIRM_URL: 'https://app.example.com/v/{key}/',
      }).emailVerification,
    ).toBe('mandatory');
    // Outside production nothing is required: the development defaults apply.
    expect(loadConfig({ env: { DOORMAN_EMAIL_VERIFICATION: 'mandatory' } }).emailVerification).toBe('mandatory');
  });
});
