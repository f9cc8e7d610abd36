import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Doorman } from '../../core.js';
import { isAuthenticated } from '../../permissions/builtin.js';
import { pickLanguage } from '../../mail/language.js';
import { toPublicUser, type User } from '../../users/types.js';
import { auditSubject } from '../audit.js';
import type { CookieMode } from '../cookies.js';
import { originOf } from '../origin.js';
import { authenticateRequest, requirePermission, userOf } from '../permissions.js';
import { signIn as signInAnswer } from '../sign-in.js';
import {
  AuthResponse,
  DetailResponse,
  JoinBody,
  JoinResponse,
  LoginBody,
  MypageResponse,
  NoContentResponse,
  OptionalRefreshBody,
  PasswordChangeBody,
  PasswordChangeResponse,
  ProfileBody,
  PublicUserSchema,
  SessionListResponse,
  SessionParams,
  replies,
} from '../schemas.js';

const tags = ['account'];
const security = [{ bearerAuth: [] }];
const signedIn = requirePermission(isAuthenticated);

const join = {
  config: { audit: { ok: 'join' } as const },
  schema: {
    tags,
    summary: 'Register (dj-rest-auth RegisterView); with mandatory verification only a detail',
    body: JoinBody,
    response: replies({ 201: JoinResponse }, 'body', 'csrf', 'throttled', 'hashing'),
  },
};
const login = {
  config: { audit: { ok: 'login', failed: 'login_failed', email: true } as const },
  schema: {
    tags,
    summary: 'Log in (dj-rest-auth LoginView)',
    body: LoginBody,
    response: replies({ 200: AuthResponse }, 'body', 'csrf', 'throttled', 'hashing'),
  },
};
const logout = {
  config: { audit: { ok: 'logout' } as const },
  schema: {
    tags,
    summary: 'Log out: blacklist the refresh token and end its session',
    body: OptionalRefreshBody,
    response: replies({ 200: DetailResponse }, 'body', 'auth', 'csrf'),
  },
};
const passwordChange = {
  preValidation: signedIn,
  config: { audit: { ok: 'password_change' } as const },
  schema: {
    tags,
    security,
    summary: 'Change password; every session ends, the caller goes on in a new one',
    body: PasswordChangeBody,
    response: replies({ 200: PasswordChangeResponse }, 'body', 'auth', 'csrf', 'hashing'),
  },
};
const listSessions = {
  preValidation: signedIn,
  schema: {
    tags,
    security,
    summary: "The caller's live sessions, newest first",
    response: replies({ 200: SessionListResponse }, 'auth'),
  },
};
const endSession = {
  preValidation: signedIn,
  schema: {
    tags,
    security,
    summary: "End one of the caller's sessions",
    params: SessionParams,
    response: replies({ 204: NoContentResponse }, 'auth', 'csrf', 'lookup'),
  },
};
const logoutAll = {
  preValidation: signedIn,
  schema: {
    tags,
    security,
    summary: 'End every session of the caller',
    response: replies({ 200: DetailResponse }, 'auth', 'csrf'),
  },
};
const mypage = {
  preValidation: signedIn,
  schema: { tags, security, summary: "The seed's greeting", response: replies({ 200: MypageResponse }, 'auth') },
};
const currentUser = {
  preValidation: signedIn,
  schema: { tags, security, summary: 'The current user', response: replies({ 200: PublicUserSchema }, 'auth') },
};
const updateUser = {
  preValidation: signedIn,
  schema: {
    tags,
    security,
    summary: "Update the current user's profile",
    body: ProfileBody,
    response: replies({ 200: PublicUserSchema }, 'body', 'auth', 'csrf'),
  },
};

/** dj-rest-auth's account endpoints and the seed's mypage, under /account. */
export const accountRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman; cookies: CookieMode }> = async (
  app,
  { doorman, cookies },
) => {
  const { accounts, tokens, config, sessions } = doorman;

  const signIn = (request: FastifyRequest, reply: FastifyReply, user: User) =>
    signInAnswer(doorman, cookies, request, reply, user);
  const cookieGuard = { onRequest: cookies.refuseCrossSite };

  const { throttle } = doorman;

  app.post('/join/', { ...join, ...cookieGuard }, async (request, reply) => {
    const outcome = await throttle.join.attempt(throttle.key(request.ip), () =>
      doorman.recovery.join(request.body, pickLanguage(request.headers['accept-language'])),
    );
    if (!('user' in outcome)) return reply.status(201).send({ detail: 'Verification e-mail sent.' });
    auditSubject(request, outcome.user.id);
    return reply.status(201).send(await signIn(request, reply, outcome.user));
  });

  app.post('/login/', { ...login, ...cookieGuard }, async (request, reply) => {
    const { email, password } = request.body;
    const user = await throttle.login.attempt({ address: throttle.key(request.ip), account: email }, () =>
      accounts.login(email, password),
    );
    auditSubject(request, user.id);
    return signIn(request, reply, user);
  });

  app.post('/logout/', { ...logout, ...cookieGuard }, async (request, reply) => {
    const fromCookie = request.body.refresh ? null : cookies.enabled ? cookies.refreshToken(request) : null;
    // A logout forged by another site must not even clear the cookies, so CSRF comes first.
    if (fromCookie) cookies.checkRefresh(request, fromCookie);
    // dj-rest-auth clears the cookies whatever happens next: a client that asked to log out
    // must not keep credentials because its refresh token was already spent or expired.
    if (cookies.enabled) cookies.clear(reply);
    // A stale access token must not stop a logout, so a bad one is ignored here.
    const auth = await authenticateRequest(request).catch(() => null);
    await tokens.logout(request.body.refresh || fromCookie || null, auth?.sessionId ?? null);
    return { detail: 'Successfully logged out.' };
  });

  app.post('/password/change/', passwordChange, async (request, reply) => {
    // Every session of the old password ends, this one too (copies of its tokens may be out
    // there); the caller gets the tokens of a new session, in the body and in cookie mode as cookies.
    const pair = await sessions.changePassword(
      await accounts.get(userOf(request).userId),
      request.body,
      originOf(request),
    );
    if (cookies.enabled) cookies.set(reply, pair);
    return { detail: 'New password has been saved.', access: pair.access, refresh: pair.refresh };
  });

  app.get('/sessions/', listSessions, async (request) =>
    sessions.list(userOf(request).userId, userOf(request).sessionId),
  );

  app.delete('/sessions/:id/', endSession, async (request, reply) => {
    await sessions.end(userOf(request).userId, request.params.id);
    if (cookies.enabled && request.params.id === userOf(request).sessionId) cookies.clear(reply);
    return reply.status(204).send();
  });

  app.post('/logout/all/', logoutAll, async (request, reply) => {
    await sessions.endAll(userOf(request).userId);
    if (cookies.enabled) cookies.clear(reply);
    return { detail: 'Successfully logged out.' };
  });

  app.get('/mypage/', mypage, async (request) => ({ message: `반갑습니다, ${userOf(request).user.email}님!` }));

  app.get('/user/', currentUser, async (request) => toPublicUser(await accounts.get(userOf(request).userId)));

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/user/',
      ...updateUser,
      handler: async (request) =>
        toPublicUser(await accounts.updateProfile(await accounts.get(userOf(request).userId), request.body)),
    });
  }
};
