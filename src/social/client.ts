import * as oidc from 'openid-client';
import { AuthError } from '../errors/auth-error.js';
import { verifyIdToken } from './id-token.js';
import type { SocialProviderSetting } from './settings.js';

/** Who the provider says the person is. */
export interface ProviderIdentity {
  subject: string;
  email: string | null;
  /** True only when the provider says so (OIDC email_verified, GitHub's verified flag). */
  emailVerified: boolean;
}

/** What the redirect flow must remember between the 302 and the callback. */
export interface PendingLogin {
  state: string;
  nonce: string | null;
  codeVerifier: string;
  redirectUri: string;
}

export interface CodeExchange {
  code: string;
  codeVerifier?: string | undefined;
  redirectUri: string;
  nonce?: string | undefined;
}

/** One provider, as the relying party (openid-client): authorization URL, code exchange, identity. */
export interface SocialClient {
  readonly setting: SocialProviderSetting;
  /** Redirect flow: the provider's URL with state, nonce (OIDC) and a PKCE S256 challenge. */
  start(redirectUri: string): Promise<{ url: string; pending: PendingLogin }>;
  /** Redirect flow: the callback URL as received, checked against what start() made. */
  finish(callbackUrl: URL, pending: PendingLogin): Promise<ProviderIdentity>;
  /** SPA flow: a code the client received (and its PKCE verifier, if it used one). */
  exchange(input: CodeExchange): Promise<ProviderIdentity>;
  /** SPA flow, OIDC: an id_token the client received, signature and claims checked. */
  idToken(token: string, nonce?: string): Promise<ProviderIdentity>;
  /** SPA flow, OAuth 2 providers with acceptAccessToken: the person behind an access token. */
  accessToken(token: string): Promise<ProviderIdentity>;
}

export interface SocialClientOptions {
  /**
   * Tests only: let openid-client talk plain HTTP to a provider on loopback. Never set by a
   * setting, so no deployment can turn TLS checks off by configuration.
   */
  allowInsecureRequests?: boolean;
}

/** Anything the provider or the exchange got wrong becomes one 400; the cause stays in the log, not the body. */
function failed(cause: unknown, detail?: string): AuthError {
  if (cause instanceof AuthError) return cause;
  return new AuthError('social_login_failed', { ...(detail ? { detail } : {}), cause });
}

function oidcIdentity(claims: Record<string, unknown>): ProviderIdentity {
  if (typeof claims.sub !== 'string' || claims.sub === '')
    throw new AuthError('social_login_failed', { detail: 'The provider gave no subject.' });
  const email = typeof claims.email === 'string' && claims.email !== '' ? claims.email : null;
  // OIDC Core §5.1: email_verified is a boolean; some providers send "true" as a string.
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  return { subject: claims.sub, email, emailVerified: email !== null && verified };
}

async function json(response: Response): Promise<any> {
  if (!response.ok)
    throw new AuthError('social_login_failed', { detail: `The provider's user-info API answered ${response.status}.` });
  return response.json();
}

export function createSocialClient(setting: SocialProviderSetting, options: SocialClientOptions = {}): SocialClient {
  const auth = setting.clientSecret === null ? oidc.None() : oidc.ClientSecretPost(setting.clientSecret);
  const execute = options.allowInsecureRequests ? [oidc.allowInsecureRequests] : [];
  let configuration: Promise<oidc.Configuration> | null = null;

  /** Discovery once (OIDC), retried on the next request when it failed. */
  function config(): Promise<oidc.Configuration> {
    if (!configuration) {
      if (setting.kind === 'oidc') {
        configuration = oidc.discovery(new URL(setting.issuer!), setting.clientId, undefined, auth, { execute });
      } else {
        const e = setting.endpoints!;
        const made = new oidc.Configuration(
          { issuer: new URL(e.authorization).origin, authorization_endpoint: e.authorization, token_endpoint: e.token },
          setting.clientId,
          undefined,
          auth,
        );
        for (const step of execute) step(made);
        configuration = Promise.resolve(made);
      }
      configuration.catch(() => (configuration = null));
    }
    return configuration;
  }

  async function userInfo(conf: oidc.Configuration, accessToken: string): Promise<ProviderIdentity> {
    const e = setting.endpoints!;
    if (setting.kind === 'github') {
      const user = await json(await oidc.fetchProtectedResource(conf, accessToken, new URL(e.userinfo), 'GET'));
      const emails = await json(await oidc.fetchProtectedResource(conf, accessToken, new URL(e.emails!), 'GET'));
      if (typeof user?.id !== 'number' && typeof user?.id !== 'string')
        throw new AuthError('social_login_failed', { detail: 'GitHub gave no user id.' });
      // The primary address, with GitHub's own verified flag; /user's "email" field says nothing about verification.
      const primary = Array.isArray(emails)
        ? emails.find((entry: any) => entry?.primary === true && typeof entry.email === 'string')
        : undefined;
      return { subject: String(user.id), email: primary?.email ?? null, emailVerified: primary?.verified === true };
    }
    const body = await json(await oidc.fetchProtectedResource(conf, accessToken, new URL(e.userinfo), 'GET'));
    // Naver: {"resultcode":"00","message":"success","response":{"id":"…","email":"…"}}.
    if (body?.resultcode !== '00' || typeof body.response?.id !== 'string')
      throw new AuthError('social_login_failed', { detail: 'Naver did not say who the person is.' });
    // Naver's API has no verified flag, so its address never joins an existing account by itself.
    return {
      subject: body.response.id,
      email: typeof body.response.email === 'string' ? body.response.email : null,
      emailVerified: false,
    };
  }

  async function identityFrom(
    conf: oidc.Configuration,
    tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  ): Promise<ProviderIdentity> {
    if (setting.kind === 'oidc') {
      const claims = tokens.claims();
      if (!claims) throw new AuthError('social_login_failed', { detail: 'The provider sent no id_token.' });
      return oidcIdentity(claims);
    }
    return userInfo(conf, tokens.access_token);
  }

  /** Naver wants the state again at its token endpoint. */
  const extra = (state: string | undefined) => (setting.kind === 'naver' && state ? { state } : undefined);

  return {
    setting,

    async start(requestedUri) {
      // One spelling for the authorization and the token request (http://host:80/ is http://host/).
      const redirectUri = new URL(requestedUri).href;
      const conf = await config().catch((cause) => {
        throw failed(cause, 'The provider could not be reached.');
      });
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = setting.kind === 'oidc' ? oidc.randomNonce() : null;
      const params: Record<string, string> = {
        redirect_uri: redirectUri,
        response_type: 'code',
        state,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      };
      if (setting.scopes.length > 0) params.scope = setting.scopes.join(' ');
      if (nonce) params.nonce = nonce;
      return {
        url: oidc.buildAuthorizationUrl(conf, params).href,
        pending: { state, nonce, codeVerifier, redirectUri },
      };
    },

    async finish(callbackUrl, pending) {
      try {
        const conf = await config();
        // The token request's redirect_uri is the callback URL without its query: the one start() sent.
        const current = new URL(pending.redirectUri);
        current.search = callbackUrl.search;
        const tokens = await oidc.authorizationCodeGrant(
          conf,
          current,
          {
            pkceCodeVerifier: pending.codeVerifier,
            expectedState: pending.state,
            ...(pending.nonce ? { expectedNonce: pending.nonce } : {}),
            idTokenExpected: setting.kind === 'oidc',
          },
          extra(pending.state),
        );
        return await identityFrom(conf, tokens);
      } catch (error) {
        throw failed(error);
      }
    },

    async exchange(input) {
      try {
        const conf = await config();
        const current = new URL(input.redirectUri);
        current.searchParams.set('code', input.code);
        // RFC 9207: the client that received the response checked `iss`; we exchange on its behalf.
        if (conf.serverMetadata().authorization_response_iss_parameter_supported)
          current.searchParams.set('iss', conf.serverMetadata().issuer);
        const tokens = await oidc.authorizationCodeGrant(conf, current, {
          ...(input.codeVerifier ? { pkceCodeVerifier: input.codeVerifier } : {}),
          ...(input.nonce ? { expectedNonce: input.nonce } : {}),
          idTokenExpected: setting.kind === 'oidc',
        });
        return await identityFrom(conf, tokens);
      } catch (error) {
        throw failed(error);
      }
    },

    async idToken(token, nonce) {
      if (setting.kind !== 'oidc')
        throw new AuthError('social_login_failed', {
          detail: 'This provider has no id_token: send code (or access_token).',
        });
      try {
        const meta = (await config()).serverMetadata();
        if (!meta.jwks_uri) throw new AuthError('social_login_failed', { detail: 'The provider publishes no keys.' });
        return oidcIdentity(
          await verifyIdToken(token, {
            issuer: meta.issuer,
            audiences: setting.audiences,
            jwksUri: meta.jwks_uri,
            nonce,
          }),
        );
      } catch (error) {
        throw failed(error, 'The id_token is not valid.');
      }
    },

    async accessToken(token) {
      if (setting.kind === 'oidc' || !setting.acceptAccessToken) {
        throw new AuthError('social_login_failed', {
          detail: 'This provider does not take access_token here: send code (or id_token).',
        });
      }
      try {
        return await userInfo(await config(), token);
      } catch (error) {
        throw failed(error);
      }
    },
  };
}
