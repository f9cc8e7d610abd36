import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Doorman } from '../../core.js';
import { AuthError } from '../../errors/auth-error.js';
import { isAuthenticated } from '../../permissions/builtin.js';
import { toPublicUser, type User } from '../../users/types.js';
import type { CookieMode } from '../cookies.js';
import { authenticateRequest, requirePermission, userOf } from '../permissions.js';
import { authBody } from '../responses.js';
import { AuthResponse, DetailResponse, JoinBody, LoginBody, MypageResponse, OptionalRefreshBody, PasswordChangeBody, ProfileBody, PublicUserSchema } from '../schemas.js';

const tags = ['account'];
const security = [{ bearerAuth: [] }];
const signedIn = requirePermission(isAuthenticated);

const join = { schema: { tags, summary: 'Register (dj-rest-auth RegisterView)', body: JoinBody, response: { 201: AuthResponse } } };
const login = { schema: { tags, summary: 'Log in (dj-rest-auth LoginView)', body: LoginBody, response: { 200: AuthResponse } } };
const logout = {
  schema: { tags, summary: 'Log out: blacklist the refresh token and end its session', body: OptionalRefreshBody, response: { 200: DetailResponse } },
};
const passwordChange = {
  preValidation: signedIn,
  schema: { tags, security, summary: 'Change password; other sessions end', body: PasswordChangeBody, response: { 200: DetailResponse } },
};
const mypage = { preValidation: signedIn, schema: { tags, security, summary: "The seed's greeting", response: { 200: MypageResponse } } };
const currentUser = { preValidation: signedIn, schema: { tags, security, summary: 'The current user', response: { 200: PublicUserSchema } } };
const updateUser = {
  preValidation: signedIn,
  schema: { tags, security, summary: "Update the current user's profile", body: ProfileBody, response: { 200: PublicUserSchema } },
};

/** dj-rest-auth's account endpoints and the seed's mypage, under /account. */
export const accountRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman; cookies: CookieMode }> = async (app, { doorman, cookies }) => {
  const { accounts, tokens, config } = doorman;

  /** A new session's tokens: in the body always (native clients, dj-rest-auth #560), and in cookies in cookie mode. */
  async function signIn(reply: FastifyReply, user: User) {
    const pair = await tokens.issuePair(user);
    if (cookies.enabled) cookies.set(reply, { access: pair.access, accessExp: pair.accessExp, refresh: pair.refresh, refreshExp: pair.refreshExp, sessionId: pair.sessionId });
    return authBody(config, pair, user);
  }

  app.post('/join/', join, async (request, reply) => reply.status(201).send(await signIn(reply, await accounts.register(request.body))));

  app.post('/login/', login, async (request, reply) => signIn(reply, await accounts.login(request.body.email, request.body.password)));

  app.post('/logout/', logout, async (request, reply) => {
    const fromCookie = request.body.refresh ? null : cookies.enabled ? cookies.refreshToken(request) : null;
    // A logout forged by another site must not even clear the cookies, so CSRF comes first.
    if (fromCookie) cookies.checkRefresh(request, fromCookie);
    // dj-rest-auth clears the cookies whatever happens next: a client that asked to log out
    // must not keep credentials because its refresh token was already spent or expired.
    if (cookies.enabled) cookies.clear(reply);
    // A stale access token must not stop a logout, so a bad one is ignored here.
    const auth = await authenticateRequest(request).catch(() => null);
    const refresh = request.body.refresh || fromCookie;
    if (!refresh) throw new AuthError('token_not_valid', { detail: 'Refresh token was not included in request data.' });
    await tokens.logout(refresh, auth?.sessionId ?? null);
    return { detail: 'Successfully logged out.' };
  });

  app.post('/password/change/', passwordChange, async (request) => {
    const auth = userOf(request);
    // Like Django's update_session_auth_hash: this session goes on, every other one ends.
    await accounts.changePassword(await accounts.get(auth.userId), request.body, auth.sessionId);
    return { detail: 'New password has been saved.' };
  });

  app.get('/mypage/', mypage, async (request) => ({ message: `반갑습니다, ${userOf(request).user.email}님!` }));

  app.get('/user/', currentUser, async (request) => toPublicUser(await accounts.get(userOf(request).userId)));

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/user/',
      ...updateUser,
      handler: async (request) => toPublicUser(await accounts.updateProfile(await accounts.get(userOf(request).userId), request.body)),
    });
  }
};
