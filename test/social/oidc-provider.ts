/**
 * A real OpenID Connect provider (the oidc-provider package) on 127.0.0.1:0, in the test
 * process: discovery, JWKS, authorization with PKCE, token endpoint, id_tokens. The
 * interaction (login + consent) is finished programmatically as `nextAccount`, so a test drives
 * the whole browser round trip with fetch and a small cookie jar.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
}

export const CLIENT_ID = 'doorman';
export const CLIENT_SECRET = 'doorman-test-secret';
/** Where doorman's callback is under app.inject (Host: localhost:80, a default port). */
export const DOORMAN_CALLBACK = 'http://localhost/account/social/corp/callback/';
/** The SPA's own redirect_uri (the SPA flow). */
export const SPA_CALLBACK = 'http://spa.test/social/callback';

export interface TestProvider {
  issuer: string;
  /** Who the next interaction logs in. */
  nextAccount: TestAccount;
  /** Signs an id_token with the provider's own key (to make expired or wrong ones). */
  sign(claims: Record<string, unknown>): Promise<string>;
  /**
   * Follows an authorization URL through login and consent like a browser and returns the URL
   * the provider finally redirects to (the client's redirect_uri with code, state, iss).
   */
  authorize(url: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startProvider(): Promise<TestProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const accounts = new Map<string, TestAccount>();
  const state = { nextAccount: { sub: 'alice', email: 'alice@example.com', email_verified: true } as TestAccount };

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [DOORMAN_CALLBACK, SPA_CALLBACK],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['oidc-provider-test-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // As Google does: the e-mail claims ride in the id_token.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ ...account }) };
    },
  });

  server.on('request', async (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      try {
        const details = await provider.interactionDetails(req, res);
        const account = state.nextAccount;
        accounts.set(account.sub, account);
        const grant = new provider.Grant({ accountId: account.sub, clientId: String(details.params.client_id) });
        grant.addOIDCScope(String(details.params.scope));
        const grantId = await grant.save();
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account.sub }, consent: { grantId } },
          { mergeWithLastSubmission: false },
        );
      } catch (error) {
        res.statusCode = 500;
        res.end(String(error));
      }
      return;
    }
    provider.callback()(req, res);
  });

  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1));
    }
  };

  return {
    issuer,
    get nextAccount() {
      return state.nextAccount;
    },
    set nextAccount(account: TestAccount) {
      state.nextAccount = account;
    },
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey),
    async authorize(url) {
      // A fresh browser each time, so the provider asks again (no single sign-on session).
      jar.clear();
      let next = new URL(url);
      for (let hops = 0; hops < 10; hops++) {
        if (next.origin !== issuer) return next;
        const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
        const response = await fetch(next, { redirect: 'manual', headers: { cookie } });
        remember(response);
        const location = response.headers.get('location');
        if (!location)
          throw new Error(`provider answered ${response.status} without a redirect: ${await response.text()}`);
        next = new URL(location, next);
      }
      throw new Error('too many redirects at the provider');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A plain authorization request as an SPA would make it (PKCE S256, state, nonce). */
export async function spaAuthorizationUrl(
  issuer: string,
  { verifier, nonce, state }: { verifier: string; nonce?: string; state: string },
) {
  const { createHash } = await import('node:crypto');
  const url = new URL(`${issuer}/auth`);
  url.searchParams.set('client_id', CLIENT_ID);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid email');
  url.searchParams.set('redirect_uri', SPA_CALLBACK);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
  url.searchParams.set('code_challenge_method', 'S256');
  if (nonce) url.searchParams.set('nonce', nonce);
  return url.href;
}
