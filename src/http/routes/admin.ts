import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Doorman } from '../../core.js';
import { AuthError } from '../../errors/auth-error.js';
import { staffWith, superuserOnly } from '../../permissions/admin-rules.js';
import { isAdminUser } from '../../permissions/builtin.js';
import { installAdminAudit } from '../audit.js';
import { requirePermission, userOf } from '../permissions.js';
import { NoContentResponse, replies, type ErrorCase } from '../schemas.js';

const tags = ['admin'];
const security = [{ bearerAuth: [] }];
const GroupBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 150 }) });
const PermissionBody = Type.Object({ permission: Type.String({ minLength: 1, maxLength: 201 }) });
const MemberBody = Type.Object({ user: Type.Integer({ minimum: 1 }) });
const PathPart = Type.String({ maxLength: 201 });
const GroupResponse = Type.Object(
  { id: Type.Integer(), name: Type.String(), permissions: Type.Array(Type.String()) },
  {
    description: 'A group and its permissions',
    examples: [{ id: 1, name: 'editors', permissions: ['board.change_post'] }],
  },
);
const UserPermissionsResponse = Type.Object(
  {
    user: Type.Integer(),
    email: Type.String(),
    is_staff: Type.Boolean(),
    is_superuser: Type.Boolean(),
    groups: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
    user_permissions: Type.Array(Type.String(), { description: 'Granted to the user directly' }),
    all_permissions: Type.Array(Type.String(), {
      description: 'Direct and through groups (all, for an active superuser)',
    }),
  },
  { description: "A user's groups and permissions" },
);
/** Every admin route needs a staff user; those with an id in the path answer 404 for an unknown one. */
const staffOnly: ErrorCase[] = ['auth', 'csrf', 'permission'];
const byId: ErrorCase[] = [...staffOnly, 'lookup'];
const GroupPath = Type.Object({ id: PathPart });
const GroupPermissionPath = Type.Object({ id: PathPart, permission: PathPart });
const MemberPath = Type.Object({ id: PathPart, user: PathPart });
const UserPath = Type.Object({ user: PathPart });
const UserPermissionPath = Type.Object({ user: PathPart, permission: PathPart });

const listGroups = {
  schema: {
    tags,
    security,
    summary: 'Groups and their permissions',
    response: replies({ 200: Type.Array(GroupResponse, { description: 'Every group' }) }, ...staffOnly),
  },
};
const createGroup = {
  schema: {
    tags,
    security,
    summary: 'Create a group',
    body: GroupBody,
    response: replies({ 201: GroupResponse }, 'body', ...staffOnly),
  },
};
const getGroup = {
  schema: {
    params: GroupPath,
    tags,
    security,
    summary: 'A group and its permissions',
    response: replies({ 200: GroupResponse }, ...byId),
  },
};
const deleteGroup = {
  schema: {
    params: GroupPath,
    tags,
    security,
    summary: 'Delete a group',
    response: replies({ 204: NoContentResponse }, ...byId),
  },
};
const grantToGroup = {
  schema: {
    params: GroupPath,
    tags,
    security,
    summary: 'Grant a permission to a group',
    body: PermissionBody,
    response: replies({ 200: GroupResponse }, 'body', ...byId),
  },
};
const revokeFromGroup = {
  schema: {
    params: GroupPermissionPath,
    tags,
    security,
    summary: 'Take a permission from a group',
    response: replies({ 200: GroupResponse }, ...byId),
  },
};
const addMember = {
  schema: {
    params: GroupPath,
    tags,
    security,
    summary: 'Add a user to a group',
    body: MemberBody,
    response: replies({ 200: UserPermissionsResponse }, 'body', ...byId),
  },
};
const removeMember = {
  schema: {
    params: MemberPath,
    tags,
    security,
    summary: 'Remove a user from a group',
    response: replies({ 200: UserPermissionsResponse }, ...byId),
  },
};
const userPermissions = {
  schema: {
    params: UserPath,
    tags,
    security,
    summary: "A user's groups and permissions",
    response: replies({ 200: UserPermissionsResponse }, ...byId),
  },
};
const grantToUser = {
  schema: {
    params: UserPath,
    tags,
    security,
    summary: 'Grant a permission to a user',
    body: PermissionBody,
    response: replies({ 200: UserPermissionsResponse }, 'body', ...byId),
  },
};
const revokeFromUser = {
  schema: {
    params: UserPermissionPath,
    tags,
    security,
    summary: 'Take a permission from a user',
    response: replies({ 200: UserPermissionsResponse }, ...byId),
  },
};

/** A path id, or 404 (as a URL that matches nothing) when it is not a positive integer. */
function id(value: string | undefined): number {
  if (!value || !/^[1-9][0-9]{0,11}$/.test(value)) throw new AuthError('not_found');
  return Number(value);
}

/**
 * The staff-only admin API (DRF IsAdminUser) for Django's groups and model permissions:
 * groups, their permissions and members, and a user's own permissions.
 */
export const adminRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman }> = async (app, { doorman }) => {
  const admin = doorman.permissions;
  app.addHook('preValidation', requirePermission(isAdminUser));
  // Staff gets in; each route then needs its Django model permission, or a superuser (issue 14).
  const need = (...perms: string[]) => ({ preHandler: requirePermission(staffWith(...perms)) });
  const superuser = { preHandler: requirePermission(superuserOnly) };
  installAdminAudit(app, doorman);

  app.get('/groups/', { ...listGroups, ...need('auth.view_group') }, () => admin.listGroups());

  app.post('/groups/', { ...createGroup, ...need('auth.add_group') }, async (request, reply) =>
    reply.status(201).send(await admin.createGroup(request.body.name)),
  );

  app.get('/groups/:id/', { ...getGroup, ...need('auth.view_group') }, (request) => admin.group(id(request.params.id)));

  app.delete('/groups/:id/', { ...deleteGroup, ...need('auth.delete_group') }, async (request, reply) => {
    await admin.deleteGroup(id(request.params.id));
    return reply.status(204).send();
  });

  app.post('/groups/:id/permissions/', { ...grantToGroup, ...superuser }, (request) =>
    admin.grantToGroup(id(request.params.id), request.body.permission),
  );

  app.delete('/groups/:id/permissions/:permission/', { ...revokeFromGroup, ...superuser }, (request) =>
    admin.revokeFromGroup(id(request.params.id), request.params.permission),
  );

  app.post('/groups/:id/members/', { ...addMember, ...need('auth.change_user') }, async (request) => {
    // Joining a group hands out its permissions: only a superuser may do that for a group that has any.
    if (!request.auth!.user.isSuperuser && (await admin.group(id(request.params.id))).permissions.length > 0)
      throw new AuthError('permission_denied');
    await admin.addToGroup(request.body.user, id(request.params.id));
    return admin.describeUser(request.body.user);
  });

  app.delete('/groups/:id/members/:user/', { ...removeMember, ...need('auth.change_user') }, async (request) => {
    await admin.removeFromGroup(id(request.params.user), id(request.params.id));
    return admin.describeUser(id(request.params.user));
  });

  // PATCH /users/{id}/ (staff status, superusers only) is routes/admin-users.ts's change route.

  app.get('/users/:user/permissions/', { ...userPermissions, ...need('auth.view_user') }, (request) =>
    admin.describeUser(id(request.params.user)),
  );

  app.post('/users/:user/permissions/', { ...grantToUser, ...superuser }, async (request) => {
    await admin.grantToUser(id(request.params.user), request.body.permission);
    return admin.describeUser(id(request.params.user));
  });

  app.delete('/users/:user/permissions/:permission/', { ...revokeFromUser, ...superuser }, async (request) => {
    await admin.revokeFromUser(id(request.params.user), request.params.permission);
    return admin.describeUser(id(request.params.user));
  });
};
