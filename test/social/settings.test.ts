import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { SECRET } from '../helpers.js';

const load = (env: Record<string, string>) =>
  loadConfig({ env: { DOORMAN_SIGNING_KEY: SECRET, ...env }, ignoreFile: true });
const refused = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('DOORMAN_SOCIAL_PROVIDERS', () => {
  it('is off by default', () => {
    expect(load({}).socialProviders).toEqual([]);
  });

  it('fills presets in: Google and Kakao by issuer, GitHub and Naver by endpoints', () => {
    const providers = load({
      DOORMAN_SOCIAL_PROVIDERS: JSON.stringify({
        google: { clientId: 'g', clientSecret: 'gs' },
        kakao: { clientId: 'k', clientSecret: 'ks' },
        github: { clientId: 'h', clientSecret: 'hs' },
        naver: { clientId: 'n', clientSecret: 'ns' },
        corp: { issuer: 'https://id.corp.example', clientId: 'c' },
        'github-enterprise': {
          preset: 'github',
          clientId: 'e',
          clientSecret: 'es',
          tokenEndpoint: 'https://ghe.example/login/oauth/access_token',
        },
      }),
    }).socialProviders;
    expect(providers.map((p) => [p.name, p.kind, p.issuer])).toEqual([
      ['google', 'oidc', 'https://accounts.google.com'],
      ['kakao', 'oidc', 'https://kauth.kakao.com'],
      ['github', 'github', null],
      ['naver', 'naver', null],
      ['corp', 'oidc', 'https://id.corp.example'],
      ['github-enterprise', 'github', null],
    ]);
    expect(providers[2]!.endpoints).toEqual({
      authorization: 'https://github.com/login/oauth/authorize',
      token: 'https://github.com/login/oauth/access_token',
      userinfo: 'https://api.github.com/user',
      emails: 'https://api.github.com/user/emails',
    });
    expect(providers[5]!.endpoints!.token).toBe('https://ghe.example/login/oauth/access_token');
    expect(providers.every((p) => p.acceptAccessToken === false)).toBe(true);
    expect(providers[4]!.clientSecret).toBeNull();
    expect(providers[0]!.audiences).toEqual(['g']);
  });

  it.each([
    ['not JSON', '{google', 'DOORMAN_SOCIAL_PROVIDERS: expected a JSON object of providers by name'],
    ['a list', '[]', 'DOORMAN_SOCIAL_PROVIDERS: expected a JSON object of providers by name'],
    [
      'no client id',
      '{"google":{"clientSecret":"x"}}',
      'DOORMAN_SOCIAL_PROVIDERS: google.clientId: expected a non-empty string',
    ],
    [
      'a generic provider without issuer',
      '{"corp":{"clientId":"x"}}',
      'DOORMAN_SOCIAL_PROVIDERS: corp.issuer: required for an OpenID Connect provider (or name a preset: google, kakao, naver, github)',
    ],
    [
      'a bad issuer',
      '{"corp":{"clientId":"x","issuer":"id.corp"}}',
      'DOORMAN_SOCIAL_PROVIDERS: corp.issuer: expected an absolute http(s) URL',
    ],
    [
      'GitHub without secret',
      '{"github":{"clientId":"x"}}',
      'DOORMAN_SOCIAL_PROVIDERS: github.clientSecret: required for github',
    ],
    [
      'an unknown field',
      '{"google":{"clientId":"x","clientSecert":"y"}}',
      'DOORMAN_SOCIAL_PROVIDERS: google.clientSecert: unknown field',
    ],
    [
      'an unknown preset',
      '{"corp":{"preset":"facebook","clientId":"x"}}',
      'DOORMAN_SOCIAL_PROVIDERS: corp.preset: unknown preset "facebook"',
    ],
    [
      'a reserved name',
      '{"connections":{"issuer":"https://a.example","clientId":"x"}}',
      'DOORMAN_SOCIAL_PROVIDERS: "connections": a provider name is',
    ],
    [
      'OIDC without openid scope',
      '{"google":{"clientId":"x","scopes":["email"]}}',
      'DOORMAN_SOCIAL_PROVIDERS: google.scopes: OpenID Connect needs the "openid" scope',
    ],
    [
      'audiences for OAuth 2',
      '{"github":{"clientId":"x","clientSecret":"y","audiences":["z"]}}',
      'DOORMAN_SOCIAL_PROVIDERS: github.audiences: only for OpenID Connect providers',
    ],
    [
      'access tokens for OIDC',
      '{"google":{"clientId":"x","acceptAccessToken":true}}',
      'DOORMAN_SOCIAL_PROVIDERS: google.acceptAccessToken: only for OAuth 2 providers',
    ],
  ])('refuses %s, naming the provider and field', (_name, value, message) => {
    expect(refused({ DOORMAN_SOCIAL_PROVIDERS: value })).toContain(message);
  });

  it('is a secret setting (client secrets are never printed)', async () => {
    const { SETTINGS } = await import('../../src/config/schema.js');
    expect(SETTINGS.socialProviders.secret).toBe(true);
  });
});

describe('DOORMAN_SOCIAL_REDIRECT_URIS and DOORMAN_SOCIAL_REDIRECT_URL', () => {
  it('takes a comma-separated list of exact URLs', () => {
    expect(
      load({ DOORMAN_SOCIAL_REDIRECT_URIS: 'https://app.example/cb,com.example.app://cb' }).socialRedirectUris,
    ).toEqual(['https://app.example/cb', 'com.example.app://cb']);
  });

  it('refuses a URL in another spelling than the one compared', () => {
    expect(refused({ DOORMAN_SOCIAL_REDIRECT_URIS: 'https://APP.example/cb' })).toBe(
      'DOORMAN_SOCIAL_REDIRECT_URIS: [0]: write the URL in its normal form ("https://app.example/cb")',
    );
  });

  it('refuses a relative URL and names the key', () => {
    expect(refused({ DOORMAN_SOCIAL_REDIRECT_URIS: '/cb' })).toBe(
      'DOORMAN_SOCIAL_REDIRECT_URIS: [0]: expected an absolute URL',
    );
    expect(refused({ DOORMAN_SOCIAL_REDIRECT_URL: 'front' })).toBe(
      'DOORMAN_SOCIAL_REDIRECT_URL: expected an absolute URL',
    );
  });
});
