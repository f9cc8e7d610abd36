import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Doorman } from '../../core.js';
import { AuthError } from '../../errors/auth-error.js';
import { toPublicUser, type User } from '../../users/types.js';
import { authHooks } from '../authenticate.js';
import type { CookieMode } from '../cookies.js';
import { authBody } from '../responses.js';
import { AuthResponse, DetailResponse, JoinBody, LoginBody, MypageResponse, OptionalRefreshBody, PasswordChangeBody, ProfileBody, PublicUserSchema } from '../schemas.js';

const tags = ['account'];
const bearer = [{ bearerAuth: [] }];

/** dj-rest-auth's account endpoints and the seed's mypage, under /account. */
export const accountRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman; cookies: CookieMode }> = async (app, { doorman, cookies }) => {
  const { accounts, tokens, config, revocation } = doorman;
  const { requireUser, optionalAuth } = authHooks(doorman, cookies);

  async function currentUser(userId: number) {
    const user = await doorman.storage.users.findById(userId);
    if (!user) throw new AuthError('user_not_found');
    return user;
  }

  /** A new session's tokens: in the body always (native clients, dj-rest-auth #560), and in cookies in cookie mode. */
  async function signIn(reply: FastifyReply, user: User) {
    const pair = await tokens.issuePair(user);
    if (cookies.enabled) cookies.set(reply, { access: pair.access, accessExp: pair.accessExp, refresh: pair.refresh, refreshExp: pair.refreshExp, sessionId: pair.sessionId });
    return authBody(config, pair, user);
  }

  app.post('/join/', { schema: { tags, summary: 'Register (dj-rest-auth RegisterView)', body: JoinBody, response: { 201: AuthResponse } } }, async (request, reply) => {
    let user = await accounts.register(request.body);
    if (config.updateLastLogin) user = (await doorman.storage.users.update(user.id, { lastLogin: new Date() })) ?? user;
    return reply.status(201).send(await signIn(reply, user));
  });

  app.post('/login/', { schema: { tags, summary: 'Log in (dj-rest-auth LoginView)', body: LoginBody, response: { 200: AuthResponse } } }, async (request, reply) => {
    const user = await accounts.login(request.body.email, request.body.password, config.updateLastLogin);
    return signIn(reply, user);
  });

  app.post('/logout/', { schema: { tags, summary: 'Log out: blacklist the refresh token and end its session', body: OptionalRefreshBody, response: { 200: DetailResponse } } }, async (request, reply) => {
    const fromCookie = request.body.refresh ? null : cookies.enabled ? cookies.refreshToken(request) : null;
    // A logout forged by another site must not even clear the cookies, so CSRF comes first.
    if (fromCookie) cookies.checkRefresh(request, fromCookie);
    // dj-rest-auth clears the cookies whatever happens next: a client that asked to log out
    // must not keep credentials because its refresh token was already spent or expired.
    if (cookies.enabled) cookies.clear(reply);
    // A stale access token must not stop a logout, so a bad one is ignored here.
    const auth = await optionalAuth(request).catch(() => null);
    const refresh = request.body.refresh || fromCookie;
    if (!refresh) throw new AuthError('token_not_valid', { detail: 'Refresh token was not included in request data.' });
    const sessionId = await tokens.blacklist(refresh);
    if (auth?.sessionId && auth.sessionId !== sessionId) await revocation.revokeSession(auth.sessionId);
    return { detail: 'Successfully logged out.' };
  });

  app.post('/password/change/', { preValidation: requireUser, schema: { tags, security: bearer, summary: 'Change password; other sessions end', body: PasswordChangeBody, response: { 200: DetailResponse } } }, async (request) => {
    const auth = request.auth!;
    await accounts.changePassword(await currentUser(auth.userId), request.body);
    // Like Django's update_session_auth_hash: this session goes on, every other one ends.
    await revocation.revokeUserSessions(auth.userId, auth.sessionId);
    return { detail: 'New password has been saved.' };
  });

  app.get('/mypage/', { preValidation: requireUser, schema: { tags, security: bearer, summary: 'The seed\'s greeting', response: { 200: MypageResponse } } }, async (request) => {
    return { message: `반갑습니다, ${request.auth!.user.email}님!` };
  });

  app.get('/user/', { preValidation: requireUser, schema: { tags, security: bearer, summary: 'The current user', response: { 200: PublicUserSchema } } }, async (request) => {
    return toPublicUser(await currentUser(request.auth!.userId));
  });

  const update = { preValidation: requireUser, schema: { tags, security: bearer, summary: 'Update the current user\'s profile', body: ProfileBody, response: { 200: PublicUserSchema } } };
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/user/',
      ...update,
      handler: async (request) => toPublicUser(await accounts.updateProfile(await currentUser(request.auth!.userId), request.body)),
    });
  }
};

export const ACCOUNT_ROUTES = {
  '/join/': ['POST'],
  '/login/': ['POST'],
  '/logout/': ['POST'],
  '/password/change/': ['POST'],
  '/mypage/': ['GET'],
  '/user/': ['GET', 'PUT', 'PATCH'],
};
