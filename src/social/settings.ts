import { PRESETS, type OAuthEndpoints, type ProviderKind } from './presets.js';

/** One configured provider, checked at start-up. */
export interface SocialProviderSetting {
  /** The URL segment: /account/social/{name}/. */
  name: string;
  kind: ProviderKind;
  /** OpenID Connect: the issuer discovery starts from (and id_tokens must name). */
  issuer: string | null;
  /** OAuth 2 providers (GitHub, Naver): their endpoints. */
  endpoints: OAuthEndpoints | null;
  clientId: string;
  clientSecret: string | null;
  scopes: string[];
  /**
   * Accept `{access_token}` at the SPA endpoint (OAuth 2 providers only). Off by default: an
   * access token is not bound to doorman's client, so any app the person gave a token to
   * could sign in as them here.
   */
  acceptAccessToken: boolean;
  /**
   * OpenID Connect: the `aud` values an id_token handed over by a client may carry: the client
   * id and, for mobile apps, their own client ids at the same provider (Google issues an
   * Android or iOS app's id_token to that app's client id).
   */
  audiences: string[];
}

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const RESERVED = new Set(['connections']);
const FIELDS = new Set([
  'preset',
  'issuer',
  'clientId',
  'clientSecret',
  'scopes',
  'acceptAccessToken',
  'audiences',
  'authorizationEndpoint',
  'tokenEndpoint',
  'userinfoEndpoint',
  'emailsEndpoint',
]);

function url(path: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`${path}: expected an absolute http(s) URL`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`${path}: expected an absolute http(s) URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Error(`${path}: expected an absolute http(s) URL`);
  // As written: an issuer is compared exactly (OIDC Discovery §4.3), and Google's has no trailing slash.
  return value;
}

function text(path: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${path}: expected a non-empty string`);
  return value;
}

function provider(name: string, raw: unknown): SocialProviderSetting {
  if (!NAME.test(name) || RESERVED.has(name))
    throw new Error(`"${name}": a provider name is lower-case letters, digits and -, and not "connections"`);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error(`${name}: expected an object with clientId, clientSecret (and issuer for OpenID Connect)`);
  const spec = raw as Record<string, unknown>;
  for (const key of Object.keys(spec))
    if (!FIELDS.has(key)) throw new Error(`${name}.${key}: unknown field (expected ${[...FIELDS].join(', ')})`);
  const presetName = spec.preset === undefined ? (PRESETS[name] ? name : null) : text(`${name}.preset`, spec.preset);
  const preset = presetName === null ? null : PRESETS[presetName];
  if (presetName !== null && !preset)
    throw new Error(`${name}.preset: unknown preset "${presetName}" (expected ${Object.keys(PRESETS).join(', ')})`);
  const kind = preset?.kind ?? 'oidc';
  const clientSecret = spec.clientSecret === undefined ? null : text(`${name}.clientSecret`, spec.clientSecret);
  if (kind !== 'oidc' && clientSecret === null) throw new Error(`${name}.clientSecret: required for ${kind}`);
  let scopes = preset?.scopes ?? ['openid', 'email', 'profile'];
  if (spec.scopes !== undefined) {
    if (
      !Array.isArray(spec.scopes) ||
      !spec.scopes.every((s) => typeof s === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))
    ) {
      throw new Error(`${name}.scopes: expected a list of scope strings`);
    }
    scopes = spec.scopes as string[];
  }
  if (kind === 'oidc' && !scopes.includes('openid'))
    throw new Error(`${name}.scopes: OpenID Connect needs the "openid" scope`);
  const acceptAccessToken = spec.acceptAccessToken === undefined ? false : spec.acceptAccessToken;
  if (typeof acceptAccessToken !== 'boolean') throw new Error(`${name}.acceptAccessToken: expected true or false`);
  if (acceptAccessToken && kind === 'oidc')
    throw new Error(
      `${name}.acceptAccessToken: only for OAuth 2 providers (github, naver); OpenID Connect providers sign in with code or id_token`,
    );
  const clientId = text(`${name}.clientId`, spec.clientId);
  let audiences = [clientId];
  if (spec.audiences !== undefined) {
    if (kind !== 'oidc') throw new Error(`${name}.audiences: only for OpenID Connect providers (id_tokens)`);
    if (!Array.isArray(spec.audiences) || !spec.audiences.every((a) => typeof a === 'string' && a !== ''))
      throw new Error(`${name}.audiences: expected a list of client ids`);
    audiences = [...new Set([clientId, ...(spec.audiences as string[])])];
  }
  let issuer: string | null = null;
  let endpoints: OAuthEndpoints | null = null;
  if (kind === 'oidc') {
    issuer = spec.issuer === undefined ? (preset?.issuer ?? null) : url(`${name}.issuer`, spec.issuer);
    if (issuer === null)
      throw new Error(
        `${name}.issuer: required for an OpenID Connect provider (or name a preset: ${Object.keys(PRESETS).join(', ')})`,
      );
  } else {
    const base = preset!.endpoints!;
    endpoints = {
      authorization:
        spec.authorizationEndpoint === undefined
          ? base.authorization
          : url(`${name}.authorizationEndpoint`, spec.authorizationEndpoint),
      token: spec.tokenEndpoint === undefined ? base.token : url(`${name}.tokenEndpoint`, spec.tokenEndpoint),
      userinfo:
        spec.userinfoEndpoint === undefined ? base.userinfo : url(`${name}.userinfoEndpoint`, spec.userinfoEndpoint),
      ...(base.emails
        ? {
            emails:
              spec.emailsEndpoint === undefined ? base.emails : url(`${name}.emailsEndpoint`, spec.emailsEndpoint),
          }
        : {}),
    };
  }
  return { name, kind, issuer, endpoints, clientId, clientSecret, scopes, acceptAccessToken, audiences };
}

/**
 * DOORMAN_SOCIAL_PROVIDERS: a JSON object of providers by name, e.g.
 * `{"google":{"clientId":"…","clientSecret":"…"},"corp":{"issuer":"https://id.corp.example","clientId":"…"}}`.
 * A mistake names the provider and field (`google.clientId: expected a non-empty string`).
 */
export function parseSocialProviders(value: unknown): SocialProviderSetting[] {
  let raw = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return [];
    try {
      raw = JSON.parse(value);
    } catch {
      throw new Error('expected a JSON object of providers by name');
    }
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error('expected a JSON object of providers by name');
  return Object.entries(raw).map(([name, spec]) => provider(name, spec));
}

/** DOORMAN_SOCIAL_REDIRECT_URIS: the redirect_uri values the SPA/mobile flow may name (exact match). */
export function parseRedirectUris(value: unknown): string[] {
  const list = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : null;
  if (!list) throw new Error('expected a list of absolute URLs (JSON array or comma-separated)');
  return list.map((item, i) => {
    // Any absolute URL: native apps use their own schemes (RFC 8252 §7.1). Compared exactly,
    // as RFC 9700 §2.1 asks: no prefixes, no wildcards.
    let href: string;
    try {
      href = new URL(String(item)).href;
    } catch {
      throw new Error(`[${i}]: expected an absolute URL`);
    }
    if (href !== item) throw new Error(`[${i}]: write the URL in its normal form ("${href}")`);
    return href;
  });
}
