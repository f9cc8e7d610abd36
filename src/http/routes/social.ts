import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Doorman } from '../../core.js';
import { AuthError } from '../../errors/auth-error.js';
import { isAuthenticated } from '../../permissions/builtin.js';
import type { SocialAccount } from '../../storage/ports.js';
import { PENDING_LIFETIME_SECONDS } from '../../social/state.js';
import type { User } from '../../users/types.js';
import type { CookieMode } from '../cookies.js';
import { requirePermission, userOf } from '../permissions.js';
import { signIn as signInAnswer } from '../sign-in.js';
import {
  AuthResponse,
  ConnectionPath,
  NoContentResponse,
  ProviderPath,
  RedirectResponse,
  replies,
  SocialAccountList,
  SocialAccountSchema,
  SocialLoginBody,
} from '../schemas.js';

const tags = ['social'];
const security = [{ bearerAuth: [] }];
const signedIn = requirePermission(isAuthenticated);

/** The sealed pending login (social/state.ts), sent only to the provider's callback path. */
const PENDING_COOKIE = 'doorman_social';

const connections = {
  preValidation: signedIn,
  schema: {
    tags,
    security,
    summary: "The signed-in user's provider connections",
    response: replies({ 200: SocialAccountList }, 'auth'),
  },
};
const disconnect = {
  preValidation: signedIn,
  schema: {
    tags,
    security,
    summary: 'Remove a connection; never the last way to sign in',
    params: ConnectionPath,
    response: replies({ 204: NoContentResponse }, 'body', 'auth', 'csrf', 'lookup'),
  },
};
const begin = {
  schema: {
    tags,
    summary: 'Redirect flow: 302 to the provider (state, nonce and PKCE kept in a sealed cookie)',
    params: ProviderPath,
    response: replies({ 302: RedirectResponse('To the provider') }, 'lookup', 'throttled'),
  },
};
const callback = {
  schema: {
    tags,
    summary: "Redirect flow: the provider's callback; cookie-mode session and 302 to DOORMAN_SOCIAL_REDIRECT_URL",
    params: ProviderPath,
    response: replies(
      { 302: RedirectResponse('To the front end (with ?error=<code> on failure)') },
      'lookup',
      'throttled',
    ),
  },
};
const login = {
  schema: {
    tags,
    summary: "SPA/mobile flow (dj-rest-auth's SocialLoginView)",
    params: ProviderPath,
    body: SocialLoginBody,
    response: replies({ 200: AuthResponse }, 'body', 'auth', 'csrf', 'lookup', 'throttled'),
  },
};
const connect = {
  preValidation: signedIn,
  schema: {
    tags,
    security,
    summary: 'Connect a provider account to the signed-in user',
    params: ProviderPath,
    body: SocialLoginBody,
    response: replies({ 201: SocialAccountSchema }, 'body', 'auth', 'csrf', 'lookup', 'throttled'),
  },
};

function toConnection(account: SocialAccount) {
  return {
    id: account.id,
    provider: account.provider,
    uid: account.subject,
    email: account.email,
    created: account.createdAt.toISOString(),
  };
}

/** Social login under /account/social: the redirect flow, the SPA flow and connections. */
export const socialRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman; cookies: CookieMode }> = async (
  app,
  { doorman, cookies },
) => {
  const { social, accounts, config, throttle } = doorman;
  const base = app.prefix;
  // Per address, as DRF's AnonRateThrottle: every completion makes doorman call the provider
  // (code exchange, JWKS), so one client must not be able to make it do so without bound.
  // Starts and completions count apart, so one sign-in by the redirect flow is one of each.
  const guards = {
    start: throttle.perAddress('social_start', config.throttleSocial, { hashing: false }),
    complete: throttle.perAddress('social_complete', config.throttleSocial, { hashing: false }),
  };
  const limited =
    (guard: (typeof guards)['start']) =>
    async (request: FastifyRequest): Promise<void> => {
      await guard.attempt(throttle.key(request.ip), async () => {});
    };
  const pendingCookie = (provider: string) => ({
    path: `${base}/${provider}/callback/`,
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: 'lax' as const,
  });

  /** The redirect flow needs somewhere to land and cookie mode to hold the session. */
  function redirectFlow(): string {
    if (!cookies.enabled || !config.socialRedirectUrl) {
      throw new AuthError('not_found', {
        detail: 'The redirect flow is off: it needs cookie mode (DOORMAN_AUTH_COOKIE) and DOORMAN_SOCIAL_REDIRECT_URL.',
      });
    }
    return config.socialRedirectUrl;
  }

  const signIn = (request: FastifyRequest, reply: FastifyReply, user: User) =>
    signInAnswer(doorman, cookies, request, reply, user);
  // The SPA flow sets cookies in cookie mode, so another site must not be able to post to it
  // (login CSRF), as for login. The callback is a cross-site GET by nature; the sealed pending
  // cookie, which only the browser that started the sign-in has, is its defence.
  const cookieGuard = { onRequest: cookies.refuseCrossSite };

  app.get('/connections/', connections, async (request) =>
    (await social.connections(userOf(request).userId)).map(toConnection),
  );

  app.delete('/connections/:id/', disconnect, async (request, reply) => {
    await social.disconnect(await accounts.get(userOf(request).userId), Number(request.params.id));
    return reply.status(204).send();
  });

  app.get('/:provider/', { ...begin, preHandler: limited(guards.start) }, async (request, reply) => {
    redirectFlow();
    const { provider } = request.params;
    // The provider checks this against the redirect URIs registered in its console. From
    // DOORMAN_PUBLIC_URL when set (never from Host then), else from this request.
    const origin = config.publicUrl ? new URL(config.publicUrl).origin : `${request.protocol}://${request.host}`;
    const redirectUri = `${origin}${base}/${provider}/callback/`;
    const { url, sealed } = await social.begin(provider, redirectUri);
    reply.setCookie(PENDING_COOKIE, sealed, { ...pendingCookie(provider), maxAge: PENDING_LIFETIME_SECONDS });
    return reply.redirect(url, 302);
  });

  app.get('/:provider/callback/', { ...callback, preHandler: limited(guards.complete) }, async (request, reply) => {
    const front = redirectFlow();
    const { provider } = request.params;
    const sealed = request.cookies?.[PENDING_COOKIE] ?? null;
    // One use: whatever happens next, this pending login is over.
    reply.clearCookie(PENDING_COOKIE, pendingCookie(provider));
    try {
      const user = await social.complete(provider, sealed, new URL(request.url, 'http://callback.invalid'));
      await signIn(request, reply, user);
      return reply.redirect(front, 302);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      request.log.info({ err: error.cause ?? error, provider }, 'social login failed');
      // A browser page, not an API call: send the person back to the front end, which shows the code.
      const target = new URL(front);
      target.searchParams.set('error', error.code);
      return reply.redirect(target.href, 302);
    }
  });

  app.post('/:provider/', { ...login, ...cookieGuard, preHandler: limited(guards.complete) }, async (request, reply) =>
    signIn(request, reply, await social.login(request.params.provider, request.body)),
  );

  app.post('/:provider/connect/', { ...connect, preHandler: limited(guards.complete) }, async (request, reply) => {
    const account = await social.connectWith(
      await accounts.get(userOf(request).userId),
      request.params.provider,
      request.body,
    );
    return reply.status(201).send(toConnection(account));
  });
};
