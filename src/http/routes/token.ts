import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Doorman } from '../../core.js';
import { AuthError, nonFieldError } from '../../errors/auth-error.js';
import { auditSubject } from '../audit.js';
import { TOKEN_TRANSPORT_HEADER, type CookieMode } from '../cookies.js';
import { originOf } from '../origin.js';
import { expirations } from '../responses.js';
import {
  EmptyResponse,
  LoginBody,
  OptionalRefreshBody,
  PairResponse,
  RefreshBody,
  RefreshResponse,
  SlidingResponse,
  TokenBody,
  replies,
} from '../schemas.js';

const tags = ['token'];

const reuse = { message: 'Token is blacklisted', kind: 'refresh_reuse' } as const;
const cookieRefresh = {
  config: { audit: { reuse } },
  schema: {
    tags,
    summary: 'Refresh (dj-rest-auth; the refresh cookie in cookie mode)',
    body: OptionalRefreshBody,
    response: replies({ 200: RefreshResponse }, 'body', 'auth', 'csrf'),
  },
};
const verify = {
  schema: {
    tags,
    summary: 'Verify any token',
    body: TokenBody,
    response: replies({ 200: EmptyResponse }, 'body', 'auth'),
  },
};
const obtainPair = {
  config: { audit: { ok: 'token_obtain', failed: 'token_obtain_failed', email: true } as const },
  schema: {
    tags,
    summary: 'Obtain a pair (simplejwt TokenObtainPairView)',
    body: LoginBody,
    response: replies({ 200: PairResponse }, 'body', 'auth', 'throttled', 'hashing'),
  },
};
const refresh = {
  config: { audit: { reuse } },
  schema: {
    tags,
    summary: 'Refresh (simplejwt TokenRefreshView)',
    body: RefreshBody,
    response: replies({ 200: RefreshResponse }, 'body', 'auth'),
  },
};
const blacklist = {
  schema: {
    tags,
    summary: 'Blacklist a refresh token and end its session',
    body: RefreshBody,
    response: replies({ 200: EmptyResponse }, 'body', 'auth'),
  },
};
const obtainSliding = {
  config: { audit: { ok: 'token_obtain', failed: 'token_obtain_failed', email: true } as const },
  schema: {
    tags,
    summary: 'Obtain a sliding token',
    body: LoginBody,
    response: replies({ 200: SlidingResponse }, 'body', 'auth', 'throttled', 'hashing'),
  },
};
const refreshSliding = {
  schema: {
    tags,
    summary: 'Refresh a sliding token',
    body: TokenBody,
    response: replies({ 200: SlidingResponse }, 'body', 'auth'),
  },
};

/** simplejwt's TokenVerifySerializer: a blacklisted token is a 400 field error; any other problem a 401. */
async function verified(doorman: Doorman, token: string) {
  if ((await doorman.tokens.verify(token)).blacklisted) throw nonFieldError('Token is blacklisted');
  return {};
}

/** dj-rest-auth's token views under /account/token: refresh reads an optional body and adds access_expiration. */
export const accountTokenRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman; cookies: CookieMode }> = async (
  app,
  { doorman, cookies },
) => {
  const { config } = doorman;

  app.post('/refresh/', { ...cookieRefresh, onRequest: cookies.refuseCrossSite }, async (request, reply) => {
    const fromCookie = request.body.refresh ? null : cookies.enabled ? cookies.refreshToken(request) : null;
    const raw = request.body.refresh || fromCookie;
    if (!raw) throw new AuthError('token_not_valid', { detail: 'No valid refresh token found.' });
    if (fromCookie) cookies.checkRefresh(request, fromCookie);
    const result = await doorman.tokens.refresh(raw);
    if (cookies.enabled) {
      const { access, refresh, sessionId } = result;
      cookies.set(reply, {
        access: access.token,
        accessExp: access.exp,
        refresh: refresh?.token,
        refreshExp: refresh?.exp,
        sessionId,
      });
    }
    // A browser that sent the refresh token by cookie gets it back only by cookie when the
    // cookies are HttpOnly (script never sees it); a client that sent it in the body keeps
    // getting it in the body (dj-rest-auth #560 answered these with "refresh": "").
    const inBody =
      result.refresh && (!(fromCookie && config.cookieHttpOnly) || request.headers[TOKEN_TRANSPORT_HEADER] === 'body');
    return {
      access: result.access.token,
      ...(inBody ? { refresh: result.refresh!.token } : {}),
      access_expiration: new Date(result.access.exp * 1000).toISOString(),
      ...(result.refresh && config.returnExpiration
        ? { refresh_expiration: new Date(result.refresh.exp * 1000).toISOString() }
        : {}),
    };
  });

  app.post('/verify/', verify, async (request) => verified(doorman, request.body.token));
};

/** simplejwt's own views under /api/token. */
export const apiTokenRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman }> = async (app, { doorman }) => {
  const { tokens, accounts, config, throttle } = doorman;
  /** simplejwt's credential check, behind the login throttle (the same counters as /account/login/). */
  const obtain = (ip: string, email: string, password: string) =>
    throttle.login.attempt({ address: throttle.key(ip), account: email }, () => accounts.obtain(email, password));

  app.post('/', obtainPair, async (request) => {
    const user = await obtain(request.ip, request.body.email, request.body.password);
    auditSubject(request, user.id);
    const pair = await tokens.issuePair(user, originOf(request));
    return { access: pair.access, refresh: pair.refresh };
  });

  app.post('/refresh/', refresh, async (request) => {
    const result = await tokens.refresh(request.body.refresh);
    return {
      access: result.access.token,
      ...(result.refresh ? { refresh: result.refresh.token } : {}),
      ...expirations(config, result.access.exp, result.refresh?.exp),
    };
  });

  app.post('/verify/', verify, async (request) => verified(doorman, request.body.token));

  app.post('/blacklist/', blacklist, async (request) => {
    await tokens.blacklist(request.body.refresh);
    return {};
  });

  app.post('/sliding/', obtainSliding, async (request) => {
    const user = await obtain(request.ip, request.body.email, request.body.password);
    auditSubject(request, user.id);
    const issued = await tokens.issueSliding(user, originOf(request));
    return { token: issued.token };
  });

  app.post('/sliding/refresh/', refreshSliding, async (request) => ({
    token: await tokens.refreshSliding(request.body.token),
  }));
};
