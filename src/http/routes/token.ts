import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Doorman } from '../../core.js';
import { AuthError, nonFieldError } from '../../errors/auth-error.js';
import type { CookieMode } from '../cookies.js';
import { expirations } from '../responses.js';
import { EmptyResponse, LoginBody, OptionalRefreshBody, PairResponse, RefreshBody, RefreshResponse, SlidingResponse, TokenBody } from '../schemas.js';

const tags = ['token'];

/** The session claim of a token doorman just signed. */
function claimsSession(token: string): unknown {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).sid;
}

function tokenRoutes(doorman: Doorman) {
  const { tokens, accounts, config } = doorman;

  async function verify(token: string) {
    const result = await tokens.verify(token);
    // simplejwt's TokenVerifySerializer answers a blacklisted token with a 400 field error.
    if (result.blacklisted) throw nonFieldError('Token is blacklisted');
    return {};
  }

  async function obtain(email: string, password: string) {
    const user = await accounts.authenticate(email, password);
    if (!user) throw new AuthError('no_active_account');
    if (config.updateLastLogin) await doorman.storage.users.update(user.id, { lastLogin: new Date() });
    return user;
  }

  return { verify, obtain };
}

/** dj-rest-auth's token views under /account/token: refresh reads an optional body and adds access_expiration. */
export const accountTokenRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman; cookies: CookieMode }> = async (app, { doorman, cookies }) => {
  const { verify } = tokenRoutes(doorman);
  const { config } = doorman;

  app.post('/refresh/', { schema: { tags, summary: 'Refresh (dj-rest-auth; the refresh cookie in cookie mode)', body: OptionalRefreshBody, response: { 200: RefreshResponse } } }, async (request, reply) => {
    const fromCookie = request.body.refresh ? null : cookies.enabled ? cookies.refreshToken(request) : null;
    const raw = request.body.refresh || fromCookie;
    if (!raw) throw new AuthError('token_not_valid', { detail: 'No valid refresh token found.' });
    if (fromCookie) cookies.checkRefresh(request, fromCookie);
    const result = await doorman.tokens.refresh(raw);
    if (cookies.enabled) {
      const sid = claimsSession(result.access.token);
      const sessionId = typeof sid === 'string' ? sid : null;
      cookies.set(reply, { access: result.access.token, accessExp: result.access.exp, refresh: result.refresh?.token, refreshExp: result.refresh?.exp, sessionId });
    }
    // A browser that sent the refresh token by cookie gets it back only by cookie when the
    // cookies are HttpOnly (script never sees it); a client that sent it in the body keeps
    // getting it in the body (dj-rest-auth #560 answered these with "refresh": "").
    const inBody = result.refresh && !(fromCookie && config.cookieHttpOnly);
    return {
      access: result.access.token,
      ...(inBody ? { refresh: result.refresh!.token } : {}),
      access_expiration: new Date(result.access.exp * 1000).toISOString(),
      ...(result.refresh && config.returnExpiration ? { refresh_expiration: new Date(result.refresh.exp * 1000).toISOString() } : {}),
    };
  });

  app.post('/verify/', { schema: { tags, summary: 'Verify any token', body: TokenBody, response: { 200: EmptyResponse } } }, async (request) => verify(request.body.token));
};

/** simplejwt's own views under /api/token. */
export const apiTokenRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman }> = async (app, { doorman }) => {
  const { verify, obtain } = tokenRoutes(doorman);
  const { tokens, config } = doorman;

  app.post('/', { schema: { tags, summary: 'Obtain a pair (simplejwt TokenObtainPairView)', body: LoginBody, response: { 200: PairResponse } } }, async (request) => {
    const pair = await tokens.issuePair(await obtain(request.body.email, request.body.password));
    return { access: pair.access, refresh: pair.refresh };
  });

  app.post('/refresh/', { schema: { tags, summary: 'Refresh (simplejwt TokenRefreshView)', body: RefreshBody, response: { 200: RefreshResponse } } }, async (request) => {
    const result = await tokens.refresh(request.body.refresh);
    return { access: result.access.token, ...(result.refresh ? { refresh: result.refresh.token } : {}), ...expirations(config, result.access.exp, result.refresh?.exp) };
  });

  app.post('/verify/', { schema: { tags, summary: 'Verify any token', body: TokenBody, response: { 200: EmptyResponse } } }, async (request) => verify(request.body.token));

  app.post('/blacklist/', { schema: { tags, summary: 'Blacklist a refresh token and end its session', body: RefreshBody, response: { 200: EmptyResponse } } }, async (request) => {
    await tokens.blacklist(request.body.refresh);
    return {};
  });

  app.post('/sliding/', { schema: { tags, summary: 'Obtain a sliding token', body: LoginBody, response: { 200: SlidingResponse } } }, async (request) => {
    const issued = await tokens.issueSliding(await obtain(request.body.email, request.body.password));
    return { token: issued.token };
  });

  app.post('/sliding/refresh/', { schema: { tags, summary: 'Refresh a sliding token', body: TokenBody, response: { 200: SlidingResponse } } }, async (request) => {
    return { token: await tokens.refreshSliding(request.body.token) };
  });
};

export const ACCOUNT_TOKEN_ROUTES = { '/refresh/': ['POST'], '/verify/': ['POST'] };
export const API_TOKEN_ROUTES = { '/': ['POST'], '/refresh/': ['POST'], '/verify/': ['POST'], '/blacklist/': ['POST'], '/sliding/': ['POST'], '/sliding/refresh/': ['POST'] };
