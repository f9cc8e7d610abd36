import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Doorman } from '../../core.js';
import { AuthError } from '../../errors/auth-error.js';
import { staffWith } from '../../permissions/admin-rules.js';
import { isAdminUser } from '../../permissions/builtin.js';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH } from '../../users/fields.js';
import { requirePermission, userOf } from '../permissions.js';
import { NoContentResponse, replies, type ErrorCase } from '../schemas.js';

const tags = ['admin'];
const security = [{ bearerAuth: [] }];
const AdminUser = Type.Object(
  {
    pk: Type.Integer(),
    email: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    is_active: Type.Boolean(),
    is_staff: Type.Boolean(),
    is_superuser: Type.Boolean(),
    date_joined: Type.String({ format: 'date-time' }),
    last_login: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { description: 'A user as the admin sees it (never the password hash)' },
);
const UserPage = Type.Object(
  {
    count: Type.Integer(),
    next: Type.Union([Type.Integer(), Type.Null()]),
    previous: Type.Union([Type.Integer(), Type.Null()]),
    results: Type.Array(AdminUser),
  },
  { description: "DRF's page: the count of matches, the next and previous page numbers, and this page's users" },
);
const ListQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: EMAIL_MAX_LENGTH })),
  page: Type.Optional(Type.String({ maxLength: 12 })),
});
const CreateBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: EMAIL_MAX_LENGTH }),
  password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
});
const ChangeBody = Type.Object({
  is_active: Type.Optional(Type.Boolean()),
  is_staff: Type.Optional(Type.Boolean()),
  is_superuser: Type.Optional(Type.Boolean()),
});
const UserPath = Type.Object({ user: Type.String({ maxLength: 201 }) });
const UserSessionPath = Type.Object({
  user: Type.String({ maxLength: 201 }),
  session: Type.String({ maxLength: 201 }),
});
const AdminSession = Type.Object({
  id: Type.String(),
  created: Type.String(),
  last_used: Type.String(),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
});
const staffOnly: ErrorCase[] = ['auth', 'csrf', 'permission'];
const byId: ErrorCase[] = [...staffOnly, 'lookup'];

/** Django admin: staff gets in, then each action needs its model permission (a superuser has all). */
const need = (perm: string) => requirePermission(staffWith(perm));

const listUsers = {
  preHandler: need('auth.view_user'),
  schema: {
    tags,
    security,
    summary: 'Users, 25 a page, searched by e-mail',
    querystring: ListQuery,
    response: replies({ 200: UserPage }, 'lookup', ...staffOnly),
  },
};
const createUser = {
  preHandler: need('auth.add_user'),
  schema: {
    tags,
    security,
    summary: 'Create a user (the join password rules)',
    body: CreateBody,
    response: replies({ 201: AdminUser }, 'body', ...staffOnly),
  },
};
const getUser = {
  preHandler: need('auth.view_user'),
  schema: { tags, security, params: UserPath, summary: 'A user', response: replies({ 200: AdminUser }, ...byId) },
};
const changeUser = {
  preHandler: need('auth.change_user'),
  schema: {
    tags,
    security,
    params: UserPath,
    summary: 'Activate or deactivate (ends every session); staff and superuser flags (superusers only)',
    body: ChangeBody,
    response: replies({ 200: AdminUser }, 'body', ...byId),
  },
};
const deleteUser = {
  preHandler: need('auth.delete_user'),
  schema: {
    tags,
    security,
    params: UserPath,
    summary: 'Delete a user (every session ends first)',
    response: replies({ 204: NoContentResponse }, ...byId),
  },
};

const userSessions = {
  preHandler: need('auth.view_user'),
  schema: {
    tags,
    security,
    params: UserPath,
    summary: "A user's live sessions, newest first",
    response: replies({ 200: Type.Array(AdminSession, { description: "The user's live sessions" }) }, ...byId),
  },
};
const endUserSession = {
  preHandler: need('auth.change_user'),
  schema: {
    tags,
    security,
    params: UserSessionPath,
    summary: "End one of a user's sessions (its tokens are refused at once)",
    response: replies({ 204: NoContentResponse }, ...byId),
  },
};

/** A path id or page number, or 404 (as a URL that matches nothing). */
function positive(value: string | undefined): number {
  if (!value || !/^[1-9][0-9]{0,11}$/.test(value)) throw new AuthError('not_found');
  return Number(value);
}

/** The admin API's user screens (Django admin's auth.User): thin routes over doorman.users. */
export const adminUserRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman }> = async (app, { doorman }) => {
  const users = doorman.users;
  app.addHook('preValidation', requirePermission(isAdminUser));
  const actor = (request: Parameters<typeof userOf>[0]) => ({
    id: userOf(request).userId,
    isSuperuser: userOf(request).user.isSuperuser,
  });

  app.get('/users/', listUsers, (request) => {
    const page = request.query.page === undefined ? 1 : positive(request.query.page);
    return users.list(request.query.search ?? '', page);
  });

  app.post('/users/', createUser, async (request, reply) =>
    reply.status(201).send(await users.create(request.body.email, request.body.password)),
  );

  app.get('/users/:user/', getUser, (request) => users.get(positive(request.params.user)));

  app.patch('/users/:user/', changeUser, (request) =>
    users.change(actor(request), positive(request.params.user), request.body),
  );

  app.get('/users/:user/sessions/', userSessions, (request) => users.sessions(positive(request.params.user)));

  app.delete('/users/:user/sessions/:session/', endUserSession, async (request, reply) => {
    await users.endSession(actor(request), positive(request.params.user), request.params.session);
    return reply.status(204).send();
  });

  app.delete('/users/:user/', deleteUser, async (request, reply) => {
    await users.delete(actor(request), positive(request.params.user));
    return reply.status(204).send();
  });
};
